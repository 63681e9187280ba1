package dev.mdtload.signature;

import com.fasterxml.jackson.annotation.JsonValue;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The root certificates the images of linux-firmware 20250410 chain to, by the SHA-256 of the
 * root's DER (what an OEM public-key-hash fuse holds), each with a label and whether it is a test
 * or a production root. A root's kind is looked up here, never guessed from its name: "Generated
 * Test Root CA" says test, but "QMC Attestation Root CA 6" contains "test" only inside
 * "Attestation", and a production OEM root may be named anything.
 *
 * <p>Every entry was read from the corpus: its subject (quoted in the comment), key, first validity
 * date and the images that carry it (paths under lib/firmware of Debian's firmware-qcom-soc and
 * firmware-atheros 20250410-2). A label starts with the root's CN; roots that share a CN are told
 * apart by their key and the date they were made. docs/signatures.md lists the same table.
 */
public final class KnownRoots {
    private KnownRoots() {}

    /** Whether a root signs test images or production ones, as far as this table knows. */
    public enum Kind {
        TEST,
        PRODUCTION,
        UNKNOWN;

        /** The kebab-case name, as JSON and messages show it. */
        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A root as the table names it; {@link #UNKNOWN} for a root not in it. */
    public record Root(String label, Kind kind) {}

    public static final Root UNKNOWN = new Root("unknown", Kind.UNKNOWN);

    private static final Map<String, Root> BY_SHA256 = Map.ofEntries(
            // Qualcomm's own test root: CN=QPSA F4 TEST ROOT, O=QUALCOMM, OU=General Use Test Key (for testing
            // only); RSA-2048, 2013-06-07. qcom/apq8096/{adsp,mba,modem}.mbn, qcom/sdm845/a630_zap.mbn,
            // qcom/venus-4.2/venus.{mbn,mdt}, qcom/venus-5.2/venus.{mbn,mdt}.
            test("b53fb23d1953decb95928fe657556cea6edab3444dc708c019057cbaf8c62d4a", "QPSA F4 TEST ROOT (Qualcomm test root, RSA-2048)"),
            // SecTools' generated test roots: CN=Generated Test Root CA, O=SecTools, OU=General Use Test Key (for
            // testing only). SecTools makes a new one per signing setup; these are the ones in the corpus.
            // RSA-2048, certificates RSASSA-PSS, 2015-09-10: the sdm845 (v3 mba, modem, modem_nm, wlanmdsp; v5 adsp,
            // cdsp, Thundercomm/db845c/slpi) and sm8250 images, a612/a610/a650/a702_zap, qcm2290 modem/wlanmdsp,
            // qrb4210 modem/adsp/cdsp/wlanmdsp, ath10k WCN3990 wlanmdsp, ath11k IPQ6018, venus-5.4, vpu-1.0,
            // vpu/vpu20_p4, qca/msbtfw11.mbn.
            test("f8ab20526358c4fa4cef96d78c45180dc3db75e8f24051ad624448c134b4e861", "Generated Test Root CA (SecTools test root, RSA-2048 PSS, 2015-09-10)"),
            // EC P-384, 2016-04-08: ath11k/WCN6750/hw1.0 wpss (and sc7280/), qcom/qcm2290/adsp.mbn, venus-6.0,
            // vpu-2.0, vpu/vpu20_p1.mbn.
            test("959b8d0549ef41befabc24f51efe84fee366ac169ab04a0db30c799b324fd798", "Generated Test Root CA (SecTools test root, P-384, 2016-04-08)"),
            // RSA-2048, certificates PKCS#1 v1.5, one per date: 2015-03-05 qcom/venus-1.8/venus.{mbn,mdt};
            // 2016-07-16 qcom/apq8096/a530_zap.mbn and qcom/a530_zap.mdt; 2017-10-18 qcom/apq8016/wcnss.mbn;
            // 2018-04-17 03:31:52 qcom/apq8016/mba.mbn; 2018-04-17 03:32:35 qcom/apq8016/modem.mbn.
            test("983054f5c4b3fd2c8a98aa917271adb7d8766127c34d56a89f5e0a311ca45c2f", "Generated Test Root CA (SecTools test root, RSA-2048, 2015-03-05)"),
            test("ba2aa4eeacd6927b8d4c39839fb3e93be4112d02104d41829b0ba20a58dc7a1e", "Generated Test Root CA (SecTools test root, RSA-2048, 2016-07-16)"),
            test("0576ae2edfc92993ea0f070ef01bf529bf7b4c12e4a28af7369e87bf88897e4e", "Generated Test Root CA (SecTools test root, RSA-2048, 2017-10-18)"),
            test("d281fa4df83b46cc7aeecd1caed2c9ae09a35b393a93dbd371e76ebcbf17c325", "Generated Test Root CA (SecTools test root, RSA-2048, 2018-04-17 03:31)"),
            test("efb5a6de9cf66413d008feda3923e40e5a1c717316c525f83387c9fe723eaf9f", "Generated Test Root CA (SecTools test root, RSA-2048, 2018-04-17 03:32)"),
            // CN=SECTOOLS SECP384R1 CURVE TEST ROOT, O=QUALCOMM, OU=General Use Test Key (for testing only); P-384,
            // 2016-03-21: the qcm6490, qcs6490, qcs8300 and sa8775p images, ath11k WCN6750 qcm6490/wpss.mbn,
            // vpu/vpu30_p4{,_s6}.mbn, and the v7 qcom/x1e80100/{adsp,adsp_dtb,gen70500_zap}.mbn.
            test("9cda6268c11916ff53b41f2b1701e2758fc3bbd227538ee127158f7c9527a454", "SECTOOLS SECP384R1 CURVE TEST ROOT (Qualcomm test root, P-384)"),
            // CN=SecTools Test User Root CA, O=SecTools, OU=General Use Test Key (OEM); P-384, 2021-11-05:
            // qcom/sc8280xp/LENOVO/21BX/qcadsp8280.mbn (ThinkPad X13s audio DSP).
            test("6f7b08c06d371c90d55d7b2fb5c8d984bddf2587d3105dd96127fa10ce43ad98", "SecTools Test User Root CA (SecTools OEM test root, P-384)"),
            // Qualcomm production roots: CN=QMC Attestation Root CA N, OU=Qualcomm Cryptographic Operations,
            // O=Qualcomm Technologies, Inc.; P-384, no test-key OU. CA 4 (2017-08-01):
            // qcom/sc8280xp/LENOVO/21BX/{qccdsp8280,qcdxkmsuc8280,qcslpi8280}.mbn. CA 6 (2020-08-25):
            // qcom/x1e80100/LENOVO/21N1/{qccdsp8380,qcdxkmsuc8380,qcvss8380}.mbn.
            production("3a99e4047d45b407ad297c827c5bdb8e2913de09c45163bc8c05e3d0fe91547a", "QMC Attestation Root CA 4 (Qualcomm production root, P-384)"),
            production("1e979f3a07489f18a6370f1793ea06ca21bd640f67dcf5d53cff2a8436215cde", "QMC Attestation Root CA 6 (Qualcomm production root, P-384)"),
            // Lenovo's OEM production roots, each signing one laptop's firmware. CN=Qualcomm Secure Boot Root CA,
            // O=Lenovo Ltd., OU=Lenovo Japan Ltd., L=Yokohama; P-384, 2024-02-16:
            // qcom/x1e80100/LENOVO/21N1/qcadsp8380.mbn (ThinkPad T14s Gen 6).
            production("0fd0e4fc50735dd9105a8898b1709af79575c9234520844d35b5f7d25ed111ff", "Qualcomm Secure Boot Root CA (Lenovo Japan OEM production root, P-384)"),
            // CN=Lenovo Root for Qualcomm CA, O=SecTools, OU=Lenovo IdeaPad in-house, OU=General root key for
            // product, L=Beijing; P-384, 2023-11-23: every qcom/x1e80100/LENOVO/83ED/*.mbn (Yoga Slim 7x).
            production("e146b8051141cf43dbe51819ed530947015f90f71aa79bb37a79c1fe5df45c8f", "Lenovo Root for Qualcomm CA (Lenovo IdeaPad OEM production root, P-384)"));

    private static Map.Entry<String, Root> test(String sha256, String label) {
        return Map.entry(sha256, new Root(label, Kind.TEST));
    }

    private static Map.Entry<String, Root> production(String sha256, String label) {
        return Map.entry(sha256, new Root(label, Kind.PRODUCTION));
    }

    /** The table's entry for {@code root}, or {@link #UNKNOWN}. */
    public static Root of(X509Certificate root) {
        return BY_SHA256.getOrDefault(HexFormat.of().formatHex(CertificateChain.sha256(root)), UNKNOWN);
    }
}
