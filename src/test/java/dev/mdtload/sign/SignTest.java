package dev.mdtload.sign;

import dev.mdtload.cli.CliRun;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.Validator;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import dev.mdtload.mbn.Signer;
import dev.mdtload.signature.SignatureReport;
import dev.mdtload.signature.SignatureScheme;
import dev.mdtload.signature.Signatures;
import dev.mdtload.signature.SigningAttributes;
import dev.mdtload.signature.TrustAnchor;
import dev.mdtload.testing.FixedSigner;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignTest {
    @TempDir
    Path tmp;

    /** A plain ELF as a compiler leaves it: code, data with a bss tail, and a bss-only segment. */
    static Path plainElf(Path dir, ElfClass elfClass) throws IOException {
        byte[] code = new byte[5000];
        byte[] data = new byte[300];
        for (int i = 0; i < code.length; i++) {
            code[i] = (byte) (i * 31 + 7);
        }
        Arrays.fill(data, (byte) 0x5a);
        List<ProgramHeader> phdrs = List.of(
                new ProgramHeader(0, ProgramHeader.PT_LOAD, 5, 0x1000, 0x8000_0000L, 0x8000_0000L, code.length, code.length, 0x1000),
                new ProgramHeader(1, ProgramHeader.PT_LOAD, 6, 0x3000, 0x8000_2000L, 0x8000_2000L, data.length, 0x1000, 0x1000),
                new ProgramHeader(2, ProgramHeader.PT_LOAD, 6, 0x4000, 0x8000_3000L, 0x8000_3000L, 0, 0x2000, 0x1000));
        byte[] file = new byte[0x3000 + data.length];
        byte[] headers = ElfWriter.headers(elfClass, ElfWriter.EM_QDSP6, 0x8000_0000L, phdrs);
        System.arraycopy(headers, 0, file, 0, headers.length);
        System.arraycopy(code, 0, file, 0x1000, code.length);
        System.arraycopy(data, 0, file, 0x3000, data.length);
        Path elf = dir.resolve("plain.elf");
        Files.write(elf, file);
        return elf;
    }

    Path signed(int version, String name, String... extra) throws IOException {
        Path out = tmp.resolve(name);
        List<Object> args = new java.util.ArrayList<>(List.of("sign", plainElf(tmp, ElfClass.ELF32), "--mbn-version", version,
                "--sw-id", "0xd", "-o", out));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray());
        assertEquals(0, run.exit(), run::toString);
        return out;
    }

    static Path root(Path image) {
        return image.resolveSibling(image.getFileName() + ".root.pem");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 6, 7})
    void sign_givesAnImageThatValidatesWithTheTestRoot(int version) throws IOException {
        Path image = signed(version, "v" + version + ".mbn");

        CliRun run = CliRun.of("validate", "--root-cert", root(image), image);

        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("MBN v" + version), run::toString);
        assertTrue(run.out().contains("chain verified, signature verified"), run::toString);
        assertTrue(run.out().contains("unknown root \"unknown\""), "a throwaway root is in no table: " + run);
        assertTrue(run.out().endsWith(", pinned\n1 image: 1 valid, 0 invalid\n"), run::toString);
    }

    @Test
    void validateSignatures_aPlainElfHasNothingSignedAndPassesOnlyWithAllowUnsigned() throws Exception {
        Path elf = plainElf(tmp, ElfClass.ELF32);

        CliRun strict = CliRun.of("validate", "--signatures", elf);
        CliRun allowed = CliRun.of("validate", "--signatures", "--allow-unsigned", elf);

        assertEquals(1, strict.exit(), strict::toString);
        assertTrue(strict.err().contains("no hash segment, so no signature to verify [unsigned]"), strict::toString);
        assertEquals(0, allowed.exit(), allowed::toString);
        assertTrue(allowed.out().contains("  signature: unsigned (no hash segment), allowed by --allow-unsigned"), allowed::toString);
    }

    @Test
    void sign_keepsEveryLoadableSegmentByteForByte() throws IOException {
        Path elf = plainElf(tmp, ElfClass.ELF32);
        Path image = signed(6, "kept.mbn");
        byte[] in = Files.readAllBytes(elf);
        byte[] out = Files.readAllBytes(image);
        List<RawElf.Phdr> before = RawElf.read(elf).phdrs();
        List<RawElf.Phdr> after = RawElf.read(image).phdrs();

        assertEquals(before.size() + 2, after.size(), "headers placeholder and hash segment in front");
        assertEquals(7, after.get(0).qcomType());
        assertEquals(2, after.get(1).qcomType());
        for (int i = 0; i < before.size(); i++) {
            RawElf.Phdr a = before.get(i);
            RawElf.Phdr b = after.get(i + 2);
            assertEquals(List.of(a.type(), a.paddr(), a.filesz(), a.memsz(), a.flags()),
                    List.of(b.type(), b.paddr(), b.filesz(), b.memsz(), b.flags()));
            if (a.filesz() > 0) {
                assertArrayEquals(Arrays.copyOfRange(in, (int) a.offset(), (int) a.end()),
                        Arrays.copyOfRange(out, (int) b.offset(), (int) b.end()));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 6, 7})
    void sign_imageIsRejectedWithAnotherGeneratedRoot(int version) throws IOException {
        Path image = signed(version, "a.mbn");
        Path other = signed(version, "b.mbn");

        CliRun run = CliRun.of("validate", "--root-cert", root(other), image);

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("[root-mismatch]"), run::toString);
    }

    /**
     * Flips every byte of the signed part of the hash segment and of the signature, one at a
     * time, and checks each image is refused (through the library, as validate does, to stay fast).
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 5, 6, 7})
    void sign_everySingleByteFlipInTheSignedPartOrTheSignatureIsRejected(int version) throws Exception {
        Path image = signed(version, "flip.mbn");
        TrustAnchor anchor = TrustAnchor.ofCertificateFile(root(image));
        RawElf elf = RawElf.read(image);
        byte[] hash = elf.hashSegment();
        int start = (int) elf.hashPhdr().offset();
        // the signed part (header and digest table) is followed directly by the signature
        int signatureEnd = start + RawElf.digestTableEnd(hash) + RawElf.signature(hash).length;
        assertTrue(accepted(image, anchor), "the unchanged image is accepted");

        Path flipped = tmp.resolve("flipped.mbn");
        for (int at = start; at < signatureEnd; at++) {
            byte[] copy = elf.bytes().clone();
            copy[at] ^= 1;
            Files.write(flipped, copy);
            assertFalse(accepted(flipped, anchor), "byte " + (at - start) + " of the hash segment flipped");
        }
    }

    private static boolean accepted(Path image, TrustAnchor anchor) throws IOException {
        ImageReport report = new Validator(false).validate(image);
        SignatureReport signature = Signatures.verify(image, anchor, false);
        return report.valid() && signature.status() == SignatureReport.Status.VERIFIED;
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 6, 7})
    void sign_aFlipInAnySegmentIsRejectedAsDigestMismatch(int version) throws IOException {
        Path image = signed(version, "seg.mbn");
        RawElf elf = RawElf.read(image);
        byte[] bytes = elf.bytes();
        for (RawElf.Phdr p : elf.phdrs()) {
            if (p.filesz() == 0 || p.isHash()) {
                continue;
            }
            byte[] copy = bytes.clone();
            copy[(int) (p.offset() + p.filesz() / 2)] ^= 1;
            Path flipped = tmp.resolve("seg" + p.index() + ".mbn");
            Files.write(flipped, copy);

            CliRun run = CliRun.of("validate", "--root-cert", root(image), flipped);

            assertEquals(1, run.exit(), run::toString);
            assertTrue(run.err().contains("segment " + p.index() + ":"), run::toString);
            assertTrue(run.err().contains("[digest-mismatch]"), run::toString);
        }
    }

    @Test
    void sign_signsAnElf64Too() throws IOException {
        Path out = tmp.resolve("elf64.mbn");
        CliRun sign = CliRun.of("sign", plainElf(tmp, ElfClass.ELF64), "--mbn-version", "6", "--sw-id", "2", "-o", out);

        assertEquals(0, sign.exit(), sign::toString);
        // mdtload reads and verifies it; no kernel loads it
        CliRun run = CliRun.of("validate", "--kernel", "none", "--root-cert", root(out), out);
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("ELF64"), run::toString);
        CliRun underKernel = CliRun.of("validate", "--kernel", "6.12.95", "--root-cert", root(out), out);
        assertEquals(1, underKernel.exit(), underKernel::toString);
        assertTrue(underKernel.err().contains("[elf64-not-loadable]"), underKernel::toString);
    }

    @Test
    void sign_usesPssWhenAskedAndTheCertificatesArePssSignedToo() throws Exception {
        Path image = signed(6, "pss.mbn", "--scheme", "rsassa-pss-sha256");

        CliRun certs = CliRun.of("certs", image);
        CliRun run = CliRun.of("validate", "--root-cert", root(image), image);

        assertTrue(certs.out().contains("signed with RSASSA-PSS"), certs::toString);
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("signature verified (rsassa-pss-sha256)"), run::toString);
    }

    /** A user's key and chain, written as PEM the way openssl would: PKCS#8 key, chain attestation first. */
    record UserFiles(Path key, Path chain, Path root) {}

    UserFiles userFiles(SignatureScheme scheme, long swId) throws Exception {
        TestCa ca = TestCa.generate(scheme, SigningAttributes.forAttestation(swId, 0, 0, true));
        Path dir = Files.createTempDirectory(tmp, "user");
        Path key = dir.resolve("key.pem");
        Path chain = dir.resolve("chain.pem");
        Path root = dir.resolve("root.pem");
        Files.writeString(key, pem(new JcaPKCS8Generator(ca.key().key(), null)));
        Files.writeString(chain, pem(ca.key().chain().toArray()));
        Files.writeString(root, pem(ca.root()));
        return new UserFiles(key, chain, root);
    }

    static String pem(Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 6})
    void sign_withTheUsersKeyAndChainValidatesAgainstTheirRoot(int version) throws Exception {
        UserFiles user = userFiles(version == 3 ? SignatureScheme.RSA_PKCS1_QCOM_HMAC : SignatureScheme.ECDSA_P384, 0xd);
        Path out = tmp.resolve("user.mbn");

        CliRun sign = CliRun.of("sign", plainElf(tmp, ElfClass.ELF32), "--mbn-version", version, "--sw-id", "0xd",
                "--key", user.key(), "--cert-chain", user.chain(), "-o", out);

        assertEquals(0, sign.exit(), sign::toString);
        assertFalse(Files.exists(root(out)), "no test root is made for a user's key");
        CliRun run = CliRun.of("validate", "--root-cert", user.root(), out);
        assertEquals(0, run.exit(), run::toString);
    }

    @Test
    void sign_refusesASwIdTheUsersCertificateDoesNotCarry() throws Exception {
        UserFiles user = userFiles(SignatureScheme.RSA_PKCS1_QCOM_HMAC, 0xd);
        Path out = tmp.resolve("user.mbn");

        CliRun sign = CliRun.of("sign", plainElf(tmp, ElfClass.ELF32), "--mbn-version", "3", "--sw-id", "0xe",
                "--key", user.key(), "--cert-chain", user.chain(), "-o", out);

        assertEquals(2, sign.exit(), sign::toString);
        assertTrue(sign.err().contains("--sw-id 0xe does not match the attestation certificate's SW_ID 0xd"), sign::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void sign_refusesAKeyThatIsNotTheAttestationCertificates() throws Exception {
        UserFiles user = userFiles(SignatureScheme.ECDSA_P384, 0xd);
        UserFiles other = userFiles(SignatureScheme.ECDSA_P384, 0xd);

        CliRun sign = CliRun.of("sign", plainElf(tmp, ElfClass.ELF32), "--mbn-version", "6", "--sw-id", "0xd",
                "--key", other.key(), "--cert-chain", user.chain(), "-o", tmp.resolve("x.mbn"));

        assertEquals(2, sign.exit(), sign::toString);
        assertTrue(sign.err().contains("not the key of the first certificate"), sign::toString);
    }

    @Test
    void sign_refusesAnExistingOutputUnlessForced() throws IOException {
        Path out = tmp.resolve("out.mbn");
        Files.writeString(out, "keep me");

        CliRun refused = CliRun.of("sign", plainElf(tmp, ElfClass.ELF32), "--mbn-version", "3", "--sw-id", "1", "-o", out);

        assertEquals(2, refused.exit(), refused::toString);
        assertEquals("keep me", Files.readString(out));
        assertFalse(Files.exists(root(out)));
        assertEquals(0, CliRun.of("sign", plainElf(tmp, ElfClass.ELF32), "--mbn-version", "3", "--sw-id", "1", "-o", out,
                "--force").exit());
    }

    @Test
    void sign_refusesAnInvalidElfAndWritesNothing() throws IOException {
        Path elf = plainElf(tmp, ElfClass.ELF32);
        byte[] bytes = Files.readAllBytes(elf);
        // program header 0's p_memsz (ELF32: e_phoff 52, p_memsz at +20) below its p_filesz
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(52 + 20, 10);
        Files.write(elf, bytes);
        Path out = tmp.resolve("out.mbn");

        CliRun run = CliRun.of("sign", elf, "--mbn-version", "6", "--sw-id", "1", "-o", out);

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("[filesz-exceeds-memsz]"), run::toString);
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(root(out)));
    }

    /**
     * A v5 or v7 image with a real chain (venus's) and a blank signature: the scheme follows the
     * RSA attestation key, so both RSA schemes are tried and the signature is invalid, not unknown.
     */
    @ParameterizedTest
    @ValueSource(ints = {5, 7})
    void validate_triesBothRsaSchemesOnABlankSignatureOfEveryVersion(int version) throws Exception {
        byte[] chain = RawElf.certChain(RealImage.VENUS.raw().hashSegment());
        Signer realChain = new FixedSigner(new byte[256], chain);
        Path image = tmp.resolve("v" + version + ".mbn");
        ImageAssembler.builder().elfClass(ElfClass.ELF32).machine(ElfWriter.EM_QDSP6).mbnVersion(version)
                .hashAddress(0x8000_4000L).segments(List.of(new LoadSegment(0x8000_0000L, 0x8000_0000L, 5, new byte[64], 64)))
                .signer(realChain).build().assemble().writeSquashed(image);

        CliRun run = CliRun.of("validate", "--signatures", image);

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.out().contains("chain verified, signature invalid"), run::toString);
        assertTrue(run.err().contains("(rsa-pkcs1v15-qcom-hmac-sha256: "), run::toString);
        assertTrue(run.err().contains("; rsassa-pss-sha256: "), run::toString);
        assertTrue(run.err().contains("[signature-invalid]"), run::toString);
    }
}
