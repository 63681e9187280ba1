package dev.mdtload.mbn;

import dev.mdtload.mbn.HeaderLayout.Field;
import dev.mdtload.testing.GeneratedFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * native-stubs/mbn_header.h is {@link HeaderLayout} rendered as C, and metadata.c reads the hash
 * segment only through it, so the simulated secure world and the Java reader and writer use the
 * same offsets. After changing a layout, rewrite the header with
 * {@code mvn test -Dtest=HeaderLayoutCHeaderTest -Dmdtload.writeDocs=true}.
 */
class HeaderLayoutCHeaderTest {
    private static final Path HEADER = Path.of("native-stubs/mbn_header.h");
    private static final Path METADATA_C = Path.of("native-stubs/metadata.c");

    static String render() {
        StringBuilder out = new StringBuilder("""
                /*
                 * MBN hash segment headers, generated from dev.mdtload.mbn.HeaderLayout by HeaderLayoutCHeaderTest:
                 * edit the layouts, not this file. Byte offsets of little-endian u32 fields from the start of the
                 * hash segment, and each version's header size.
                 */
                #ifndef MBN_HEADER_H
                #define MBN_HEADER_H

                #define MBN_VERSION_OFFSET %d
                """.formatted(HeaderLayout.VERSION_OFFSET));
        for (HeaderLayout h : HeaderLayout.values()) {
            out.append(String.format("%n/* struct %s */%n#define MBN_V%d_SIZE %d%n", h.layout().name().orElseThrow(),
                    h.version(), h.size()));
            for (MemoryLayout m : h.layout().memberLayouts()) {
                String name = m.name().orElseThrow();
                out.append(String.format("#define MBN_V%d_%s %d%n", h.version(), name.toUpperCase(Locale.ROOT),
                        h.layout().byteOffset(MemoryLayout.PathElement.groupElement(name))));
            }
        }
        return out.append("\n#endif\n").toString();
    }

    @Test
    void mbnHeaderH_isTheLayoutsRendered() throws IOException {
        GeneratedFiles.assertUpToDate(HEADER, render(), "HeaderLayoutCHeaderTest");
    }

    /** The header only helps if metadata.c reads the hash segment through it and nowhere else. */
    @Test
    void metadataC_readsTheHashHeaderOnlyThroughTheGeneratedOffsets() throws IOException {
        String c = Files.readString(METADATA_C, StandardCharsets.UTF_8);
        assertTrue(c.contains("#include \"mbn_header.h\""), "metadata.c must include mbn_header.h");
        Matcher rawRead = Pattern.compile("rd32\\(hash \\+ \\d+\\)").matcher(c);
        assertFalse(rawRead.find(), () -> "metadata.c reads the hash header at a raw offset: " + rawRead.group());
        for (Field f : new Field[] {Field.HASH_TABLE_SIZE, Field.QTI_METADATA_SIZE, Field.OEM_METADATA_SIZE}) {
            assertTrue(c.contains("_" + f.name()), "metadata.c reads " + f.cName() + " through mbn_header.h");
        }
    }

    /** Offsets from ../shared/docs/mbn-hash-segment.md's table, typed in from it, not from the layouts. */
    @Test
    void layouts_putTheFieldsWhereTheFormatDescriptionDoes() {
        assertEquals(40, HeaderLayout.V3.size());
        assertEquals(40, HeaderLayout.V5.size());
        assertEquals(48, HeaderLayout.V6.size());
        assertEquals(64, HeaderLayout.V7.size());
        assertEquals(12, HeaderLayout.V3.offset(Field.IMAGE_DEST_PTR));
        assertEquals(8, HeaderLayout.V5.offset(Field.QTI_SIGNATURE_SIZE));
        assertEquals(44, HeaderLayout.V6.offset(Field.OEM_METADATA_SIZE));
        assertEquals(12, HeaderLayout.V7.offset(Field.QTI_METADATA_SIZE));
        assertEquals(24, HeaderLayout.V7.offset(Field.QTI_SIGNATURE_SIZE));
        assertEquals(32, HeaderLayout.V7.offset(Field.SIGNATURE_SIZE));
        assertEquals(48, HeaderLayout.V7.offset(Field.SW_ID));
        for (HeaderLayout h : HeaderLayout.values()) {
            assertEquals(4, h.offset(Field.VERSION), h.name());
            assertEquals(20, h.offset(Field.HASH_TABLE_SIZE), h.name());
            assertEquals(36, h.offset(Field.CERT_CHAIN_SIZE), h.name());
        }
        assertFalse(HeaderLayout.V3.has(Field.QTI_SIGNATURE_SIZE));
        assertFalse(HeaderLayout.V5.has(Field.QTI_METADATA_SIZE));
    }
}
