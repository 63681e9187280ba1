package dev.mdtload.signature;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One authority's signature and chain as {@code mdtload certs} shows them.
 *
 * @param chainFieldSize the chain field's size in the hash segment; {@code padding} of it is 0xff fill
 */
public record ChainInfo(ImageSignature.Authority authority, int signatureSize, int chainFieldSize, int padding,
                        CertificateChain.RootKind rootKind, String rootSha256, List<CertificateInfo> certificates) {

    public ChainInfo {
        certificates = List.copyOf(certificates);
    }

    public static ChainInfo of(ImageSignature.Signed signed, CertificateChain chain) {
        List<CertificateInfo> infos = new ArrayList<>();
        int count = chain.certificates().size();
        for (int i = 0; i < count; i++) {
            infos.add(CertificateInfo.of(chain.certificates().get(i), i, count));
        }
        return new ChainInfo(signed.authority(), signed.signature().length, signed.certChain().length, chain.padding(),
                chain.rootKind(), HexFormat.of().formatHex(CertificateChain.sha256(chain.root())), infos);
    }
}
