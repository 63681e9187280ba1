package dev.mdtload.signature;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One authority's signature and chain as {@code mdtload certs} shows them.
 *
 * @param chainFieldSize the chain field's size in the hash segment; {@code padding} of it is 0xff fill
 * @param rootLabel      the root's name in {@link KnownRoots}, "unknown" when it is not there
 */
public record ChainInfo(ImageSignature.Authority authority, int signatureSize, int chainFieldSize, int padding,
                        String rootLabel, KnownRoots.Kind rootKind, String rootSha256, List<CertificateInfo> certificates) {

    public ChainInfo {
        certificates = List.copyOf(certificates);
    }

    public static ChainInfo of(ImageSignature.Signed signed, CertificateChain chain) {
        List<CertificateInfo> infos = new ArrayList<>();
        int count = chain.certificates().size();
        for (int i = 0; i < count; i++) {
            infos.add(CertificateInfo.of(chain.certificates().get(i), i, count));
        }
        KnownRoots.Root root = KnownRoots.of(chain.root());
        return new ChainInfo(signed.authority(), signed.signature().length, signed.certChain().length, chain.padding(),
                root.label(), root.kind(), HexFormat.of().formatHex(CertificateChain.sha256(chain.root())), infos);
    }
}
