package dev.mdtload.preflight;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.preflight.BoardFacts.Fact;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreflightTest {
    // roots as docs/signatures-corpus.txt records them (validate --signatures on linux-firmware)
    private static final String P384_TEST_ROOT = "959b8d0549ef41befabc24f51efe84fee366ac169ab04a0db30c799b324fd798";
    private static final String PSS_TEST_ROOT = "f8ab20526358c4fa4cef96d78c45180dc3db75e8f24051ad624448c134b4e861";
    private static final String QPSA_TEST_ROOT = "b53fb23d1953decb95928fe657556cea6edab3444dc708c019057cbaf8c62d4a";

    /** WPSS (MBN v6): SW_ID 0xd, OEM_ID, MODEL_ID, HW_ID and anti-rollback 0, as certs shows its metadata. */
    private static BoardFacts wpssBoard() {
        return new BoardFacts(List.of(new Fact.Root(P384_TEST_ROOT), new Fact.OemId(0), new Fact.ModelId(0),
                new Fact.HwId(0), new Fact.Rollback(0)));
    }

    private static List<String> failures(PreflightReport r) {
        return r.failures().stream().map(Finding::check).toList();
    }

    @Test
    void wpss_passesEveryCheckOnItsOwnBoardAsPasId6() throws IOException, InvalidImageException {
        PreflightReport r = Preflight.check(RealImage.WPSS.path(), 6, wpssBoard());
        assertTrue(r.passed(), r::toString);
        assertTrue(r.findings().stream().allMatch(f -> f.verdict() == Finding.Verdict.PASS), r::toString);
    }

    @Test
    void wpss_asTheCdspFailsOnlyItsSwId() throws IOException, InvalidImageException {
        PreflightReport r = Preflight.check(RealImage.WPSS.path(), 18, wpssBoard());
        assertEquals(List.of("sw-id-mismatch: image SW_ID 0xd, pas id 18 (CDSP) expects 0x17"),
                r.failures().stream().map(Finding::line).toList());
    }

    @Test
    void a650Zap_onAnotherOemFailsWithTheNamedCheck() throws IOException, InvalidImageException {
        BoardFacts board = new BoardFacts(List.of(new Fact.Root(PSS_TEST_ROOT), new Fact.OemId(0x1234)));
        PreflightReport r = Preflight.check(RealImage.A650_ZAP.path(), 13, board);
        assertEquals(List.of("oem-id-mismatch: image OEM_ID 0x0, board 0x1234"), r.failures().stream().map(Finding::line).toList());
    }

    @Test
    void a650Zap_underAnotherRootFailsRootMismatch() throws IOException, InvalidImageException {
        PreflightReport r = Preflight.check(RealImage.A650_ZAP.path(), 13, new BoardFacts(List.of(new Fact.Root(P384_TEST_ROOT))));
        assertEquals(List.of("root-mismatch"), failures(r));
    }

    @Test
    void venusV3_readsItsIdsFromTheAttestationOuFieldsAndItsRollbackFromSwIdsUpperHalf() throws IOException, InvalidImageException {
        // venus-5.2's attestation certificate: "01 000000000000000E SW_ID", "04 0000 OEM_ID": version 0
        BoardFacts own = new BoardFacts(List.of(new Fact.Root(QPSA_TEST_ROOT), new Fact.OemId(0), new Fact.Rollback(0)));
        assertTrue(Preflight.check(RealImage.VENUS.path(), 9, own).passed());
        PreflightReport newer = Preflight.check(RealImage.VENUS.path(), 9, own.with(new BoardFacts(List.of(new Fact.Rollback(2)))));
        assertEquals(List.of("rollback-too-old: image anti-rollback version 0, board minimum 2"),
                newer.failures().stream().map(Finding::line).toList());
    }

    @Test
    void unknownFacts_areSkippedNotGuessed() throws IOException, InvalidImageException {
        PreflightReport r = Preflight.check(RealImage.WPSS.path(), 6, BoardFacts.NONE);
        assertTrue(r.passed());
        assertEquals(List.of("root", "oem-id", "model-id", "hw-id", "rollback"), r.findings().stream()
                .filter(f -> f.verdict() == Finding.Verdict.SKIPPED).map(Finding::check).toList());
    }

    /**
     * a650_zap's hash segment (ELF32 program header 1) ends with its certificate chain, at 0x1a38 of
     * p_memsz 0x2000: grown by 8 bytes that are not 0xff padding, it carries what SecTools writes
     * there for an encrypted image.
     */
    @Test
    void encryptionParametersAfterTheChain_areRefused(@TempDir Path dir) throws IOException, InvalidImageException {
        Path copy = Files.copy(RealImage.A650_ZAP.path(), dir.resolve("a650_zap.mbn"));
        long phdr1 = 0x34 + 0x20;
        try (FileChannel file = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x1a40), phdr1 + 16);
            file.write(ByteBuffer.wrap("ENCPARAM".getBytes(StandardCharsets.US_ASCII)), 0x1000 + 0x1a38);
        }
        assertEquals(List.of(), failures(Preflight.check(RealImage.A650_ZAP.path(), 13, BoardFacts.NONE)));
        PreflightReport r = Preflight.check(copy, 13, BoardFacts.NONE);
        assertEquals(List.of("encrypted: hash segment holds 8 bytes of encryption parameters after the certificate "
                + "chain (offset 0x1a38): encrypted images are refused"), r.failures().stream().map(Finding::line).toList());
    }

    @Test
    void theMetadataInitImageCarries_isJudgedAsTheImageIs() throws IOException, InvalidImageException {
        BoardFacts other = new BoardFacts(List.of(new Fact.OemId(0x1234), new Fact.Root(PSS_TEST_ROOT)));
        try (FirmwareImage image = FirmwareImage.open(RealImage.WPSS.path()); Arena arena = Arena.ofConfined()) {
            PreflightReport fromMetadata = Preflight.checkMetadata(image.metadata(arena), "wpss metadata", 6, other);
            PreflightReport fromFile = Preflight.check(RealImage.WPSS.path(), 6, other);
            assertEquals(fromFile.findings(), fromMetadata.findings());
            assertEquals(List.of("root-mismatch", "oem-id-mismatch"), failures(fromMetadata));
        }
    }
}
