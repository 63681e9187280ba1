package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.sign.ImageSigner;
import dev.mdtload.signature.SignatureScheme;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "sign",
        header = "Build and sign a PIL image from an ELF: headers placeholder, hash segment, signature, chain.",
        description = {
                "Without --key, a throwaway test CA (root -> CA -> attestation) is made on the spot and its root "
                        + "written to OUT.root.pem, for: mdtload validate --root-cert OUT.root.pem OUT",
                "Schemes (docs/signatures.md): v3 and v5 rsa-pkcs1v15-qcom-hmac-sha256, v6 and v7 ecdsa-p384-sha384; "
                        + "a user's P-384 key signs ecdsa-p384-sha384, an RSA key the HMAC-style scheme up to v5 "
                        + "and rsassa-pss-sha256 from v6.",
                "Example: mdtload sign fw.elf --mbn-version 6 --sw-id 0xd -o fw.mbn"})
final class SignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "IMAGE.elf", description = "The ELF to sign (its PT_LOAD segments are kept).")
    Path elf;

    @Option(names = "--mbn-version", required = true, paramLabel = "3|5|6|7", description = "Hash-segment version.")
    int mbnVersion;

    @Option(names = "--sw-id", required = true, paramLabel = "ID", converter = Converters.Size.class,
            description = "Software id (SW_ID OU field; v7 common metadata).")
    long swId;

    @Option(names = "--hw-id", paramLabel = "ID", converter = Converters.Size.class,
            description = "Hardware id (HW_ID OU field); default 0, or the user certificate's.")
    Long hwId;

    @Option(names = "--scheme", paramLabel = "SCHEME", converter = SchemeConverter.class,
            description = "Override the scheme: rsa-pkcs1v15-qcom-hmac-sha256, rsassa-pss-sha256 or ecdsa-p384-sha384.")
    SignatureScheme scheme;

    @ArgGroup(exclusive = false)
    UserKey userKey;

    /** The user's own key and chain instead of a test CA; one needs the other. */
    static final class UserKey {
        @Option(names = "--key", required = true, paramLabel = "KEY.pem", description = "Unencrypted private key (PEM).")
        Path key;

        @Option(names = "--cert-chain", required = true, paramLabel = "CHAIN.pem",
                description = "Certificates (PEM), attestation first, root last.")
        Path chain;
    }

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "The signed .mbn to write; - for stdout with --key (the report then goes to stderr).")
    Path output;

    @Option(names = "--force", description = "Replace OUT (and OUT.root.pem) if they exist.")
    boolean force;

    static final class SchemeConverter implements ITypeConverter<SignatureScheme> {
        @Override
        public SignatureScheme convert(String value) {
            return SignatureScheme.byId(value).orElseThrow(() -> new TypeConversionException("'" + value
                    + "' is not one of " + Arrays.stream(SignatureScheme.values()).map(SignatureScheme::id).toList()));
        }
    }

    @Override
    public Integer call() throws IOException, Failure {
        if (userKey == null && output.toString().equals(Output.STDOUT)) {
            throw new UsageFailure("-o - needs --key and --cert-chain: a test CA's root is written beside OUT, as OUT.root.pem");
        }
        List<Path> inputs = userKey == null ? List.of(elf) : List.of(elf, userKey.key, userKey.chain);
        try (Output signed = Output.of(output, inputs)) {
            ImageSigner.Result result;
            try {
                ImageSigner.Request request = new ImageSigner.Request(elf, mbnVersion, swId, signer(),
                        scheme == null ? new ImageSigner.SchemeChoice.Implied() : new ImageSigner.SchemeChoice.Given(scheme),
                        signed.path(), force);
                Output.requireNotInput(request.rootCertificate(), inputs);
                result = ImageSigner.sign(request);
            } catch (IllegalArgumentException e) {
                throw new UsageFailure(e.getMessage());
            }
            signed.finish();
            List<Path> written = new ArrayList<>(List.of(output));
            PrintWriter out = signed.report(spec.commandLine().getOut(), spec.commandLine().getErr());
            written.addAll(result.publishedRoots());
            if (!common.json) {
                out.println(result.publishedRoots().isEmpty() ? "signed with " + result.scheme().id()
                        : String.format("signed with %s by a throwaway test CA; verify with: mdtload validate --root-cert %s %s",
                                result.scheme().id(), result.publishedRoots().getFirst(), result.image()));
            }
            Written.of(elf, written).print(spec, out, common.json);
        }
        return ExitCode.OK;
    }

    /** The options as they come (absent ones null) turned into who signs. */
    private ImageSigner.Signer signer() {
        if (userKey == null) {
            return new ImageSigner.TestCaSigner(hwId == null ? 0 : hwId);
        }
        return new ImageSigner.OwnKey(userKey.key, userKey.chain,
                hwId == null ? new ImageSigner.HwId.Any() : new ImageSigner.HwId.Exactly(hwId));
    }
}
