package dev.mdtload.cli;

import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: the map's terminal bar shows every segment and marks the gaps; its SVG has an address
 * axis, start/end/size labels and a legend, and is as wide as its labels: rendered by rsvg-convert
 * (Debian's librsvg2-bin, which make test installs), nothing drawn falls outside the canvas.
 */
class MapPictureTest {
    @TempDir
    Path dir;

    /** A carveout with room around the image, so there are gaps to mark: 1 MiB before and after. */
    private static final long MARGIN = 0x10_0000;

    private static long base(RealImage image) {
        return image.relocatable ? 0x8b20_0000L : (image.minAddress & -4096) - MARGIN;
    }

    private static long size(RealImage image) {
        return image.loadSize + 2 * MARGIN;
    }

    private static List<RawElf.Phdr> loadable(RealImage image) throws IOException {
        // PT_LOAD, not the hash segment (QCOM type 2 in bits 24..26), with memory: what the kernel loads
        return image.raw().phdrs().stream()
                .filter(p -> p.type() == 1 && ((p.flags() >> 24) & 7) != 2 && p.memsz() > 0).toList();
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"WPSS", "VENUS", "Q6_FW", "MBA"})
    void theBar_showsEverySegment_andMarksTheGaps(RealImage image) throws IOException {
        CliRun r = CliRun.of("map", image.path(), "--phys", "0x" + Long.toHexString(base(image)), "--size",
                "0x" + Long.toHexString(size(image)));
        assertEquals(0, r.exit(), r::toString);
        String line = r.outLines().stream().filter(l -> l.startsWith("  [")).findFirst().orElseThrow();
        String bar = line.substring(3, line.indexOf(']'));
        assertEquals(64, bar.length(), line);
        for (RawElf.Phdr p : loadable(image)) {
            char c = Character.forDigit(p.index(), 36);
            assertTrue(bar.indexOf(c) >= 0, () -> "segment " + p.index() + " has no cell in " + bar);
        }
        // the image starts MARGIN after a fixed image's carveout and ends MARGIN before it: gaps at both ends
        assertTrue(bar.endsWith("."), bar);
        if (!image.relocatable) {
            assertTrue(bar.startsWith("."), bar);
        }
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"WPSS", "VENUS", "Q6_FW"})
    void theSvg_hasAnAxisLabelsAndALegend_andRendersWithinItsOwnSize(RealImage image) throws Exception {
        long base = base(image);
        long size = size(image);
        Path svg = dir.resolve("map.svg");
        CliRun r = CliRun.of("map", image.path(), "--phys", "0x" + Long.toHexString(base), "--size",
                "0x" + Long.toHexString(size), "--svg", svg);
        assertEquals(0, r.exit(), r::toString);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        Element root = doc.getDocumentElement();
        int width = Integer.parseInt(root.getAttribute("width"));
        int height = Integer.parseInt(root.getAttribute("height"));
        List<String> texts = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        // the axis runs from the carveout's start to its end
        assertTrue(texts.contains(String.format("0x%x", base)), texts::toString);
        assertTrue(texts.contains(String.format("0x%x", base + size)), texts::toString);
        // a row per segment with its start, end and size
        long relocBase = image.relocatable ? image.minAddress : base;
        for (RawElf.Phdr p : loadable(image)) {
            long start = base + (p.paddr() - relocBase);
            String where = String.format("0x%x..0x%x  %d ", start, start + p.memsz(), p.memsz());
            assertTrue(texts.stream().anyMatch(t -> t.startsWith(where)), () -> where + " in " + texts);
        }
        assertTrue(texts.containsAll(List.of("file bytes", "unused")), texts::toString);
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("zero fill")), texts::toString);

        BufferedImage plain = render(Files.readString(svg), dir.resolve("plain.png"));
        assertEquals(width, plain.getWidth());
        assertEquals(height, plain.getHeight());
        assertTrue(darkPixels(plain, 0, width) > 0, "something is drawn");

        // the same drawing on a canvas 400 px wider and taller, at the same scale: whatever is drawn
        // past the original width or height (a label running off the edge) shows up there
        String bigger = Files.readString(svg).replaceFirst(
                String.format("width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"", width, height, width, height),
                String.format("width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"", width + 400, height + 400, width + 400,
                        height + 400));
        BufferedImage wide = render(bigger, dir.resolve("wide.png"));
        assertEquals(width + 400, wide.getWidth(), "the svg's size attributes were found and widened");
        for (int y = 0; y < wide.getHeight(); y++) {
            for (int x = 0; x < wide.getWidth(); x++) {
                if (x >= width || y >= height) {
                    int alpha = wide.getRGB(x, y) >>> 24;
                    int px = x;
                    int py = y;
                    assertEquals(0, alpha, () -> "drawn outside the " + width + "x" + height + " canvas at " + px + "," + py);
                }
            }
        }
    }

    private static BufferedImage render(String svg, Path png) throws Exception {
        Path source = Files.writeString(png.resolveSibling(png.getFileName() + ".svg"), svg);
        Process p;
        try {
            p = new ProcessBuilder("rsvg-convert", "-f", "png", "-o", png.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException missing) {
            throw new AssertionError("rsvg-convert is missing: apt-get install librsvg2-bin (make test installs it)", missing);
        }
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "rsvg-convert hangs");
        assertEquals(0, p.exitValue(), output);
        return ImageIO.read(png.toFile());
    }

    /** Opaque pixels darker than mid-grey: text and the file-byte bars. */
    private static int darkPixels(BufferedImage png, int fromX, int toX) {
        int n = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = fromX; x < toX; x++) {
                int rgb = png.getRGB(x, y);
                int grey = ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
                if ((rgb >>> 24) > 0 && grey < 128) {
                    n++;
                }
            }
        }
        return n;
    }
}
