package dev.mdtload.cli;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.signature.CertificateInfo;
import dev.mdtload.signature.ChainInfo;
import dev.mdtload.signature.Signatures;
import dev.mdtload.signature.SigningAttributes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "certs",
        header = "Show an image's signatures and certificate chains, with the Qualcomm OU fields decoded.",
        description = {
                "Per certificate: subject, issuer, key, validity, SHA-256 of the DER, and the SW_ID, HW_ID, DEBUG, "
                        + "OEM_ID, SW_SIZE, MODEL_ID and hash-algorithm OU fields; from MBN v6 on these live in the "
                        + "hash segment's metadata, shown too. The root's SHA-256 is what an OEM public-key-hash fuse holds; "
                        + "its label and kind (test, production) come from the table of roots seen in linux-firmware, "
                        + "unknown for any other.",
                "Nothing is verified here: use validate --signatures.",
                "Example: mdtload certs /lib/firmware/qcom/sm8250/a650_zap.mbn"})
final class CertsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "IMAGE", description = "A signed image (.mdt or .mbn).")
    Path image;

    @Override
    public Integer call() throws IOException, InvalidImageException {
        Signatures.CertsReport report = Signatures.certificates(image);
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            out.println(Json.success(spec, report));
        } else {
            print(out, report);
        }
        out.flush();
        return ExitCode.OK;
    }

    private static void print(PrintWriter out, Signatures.CertsReport r) {
        out.printf("%s: MBN v%d, signed bytes 0..%d of the hash segment%n", r.path(), r.mbnVersion(), r.signedLength());
        r.metadata().source().ifPresent(source -> out.printf("  %s: %s%n", source, r.metadata().summary()));
        for (ChainInfo chain : r.chains()) {
            out.printf("  %s signature: %d bytes; chain: %d certificates in a %d-byte field (%d bytes of 0xff padding)%n",
                    chain.authority(), chain.signatureSize(), chain.certificates().size(), chain.chainFieldSize(),
                    chain.padding());
            out.printf("  root: %s root \"%s\", sha256 %s%n", chain.rootKind().id(), chain.rootLabel(), chain.rootSha256());
            for (CertificateInfo c : chain.certificates()) {
                out.printf("  [%d] %s%n", c.index(), c.role());
                out.printf("      subject:   %s%n", c.subject());
                out.printf("      issuer:    %s%n", c.issuer());
                out.printf("      key:       %s (%d bits), signed with %s%n", c.keyType(), c.keySize(), c.signatureAlgorithm());
                out.printf("      valid:     %s to %s%n", c.notBefore(), c.notAfter());
                out.printf("      sha256:    %s%n", c.sha256());
                if (c.attributes() instanceof SigningAttributes.OuFields) {
                    out.printf("      OU fields: %s%n", c.attributes().summary());
                }
            }
        }
    }
}
