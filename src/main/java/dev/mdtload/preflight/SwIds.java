package dev.mdtload.preflight;

import java.util.Map;
import java.util.Optional;

/**
 * The SW_ID a secure world expects of the image it authenticates for a PAS id: an image signed
 * for the ADSP (SW_ID 0x4) is refused as the CDSP's (PAS id 18). No public document lists the
 * pairs; each comes from two public sources that do: the PAS id from the kernel driver that loads
 * the processor, the SW_ID from the signed attributes of the linux-firmware 20250410 images that
 * driver loads ({@code mdtload certs}: the v3/v5 attestation certificate's {@code 01 ... SW_ID} OU
 * field, the v6 OEM or v7 common metadata's sw_id; the lower 32 bits, the upper ones are the
 * anti-rollback version).
 */
final class SwIds {
    private SwIds() {}

    /** What the table knows of a PAS id: the processor's name and the SW_ID its images carry. */
    public record Expected(String processor, long swId) {}

    private static final Map<Long, Expected> BY_PAS_ID = Map.ofEntries(
            // pas_id 1: every adsp_data in drivers/remoteproc/qcom_q6v5_pas.c (e.g. sm8250_adsp_resource);
            // SW_ID 0x4: qcom/apq8096/adsp.mbn, qcom/sdm845/adsp.mbn, qcom/sm8250/adsp.mbn, qcom/x1e80100/adsp.mbn
            Map.entry(1L, new Expected("ADSP", 0x4)),
            // pas_id 4: mpss_resource_init, sm6375_mpss_resource, qcom_q6v5_pas.c;
            // SW_ID 0x2: qcom/qcm2290/modem.mbn, qcom/qrb4210/modem.mbn
            Map.entry(4L, new Expected("MPSS (modem)", 0x2)),
            // pas_id 6: wcss_resource_init and sc7280_wpss_resource, qcom_q6v5_pas.c; WCNSS_PAS_ID,
            // drivers/remoteproc/qcom_wcnss.c. SW_ID 0xd: qcom/sc7280 and qcm6490 wpss.mbn, qcom/apq8016/wcnss.mbn
            Map.entry(6L, new Expected("WPSS / WCNSS", 0xd)),
            // VENUS_PAS_ID 9, drivers/media/platform/qcom/venus/firmware.c;
            // SW_ID 0xe: qcom/venus-1.8 to venus-6.0, qcom/vpu-1.0, vpu-2.0, vpu/vpu20_p1.mbn, vpu30_p4.mbn
            Map.entry(9L, new Expected("Venus (video)", 0xe)),
            // pas_id 12: msm8996_slpi_resource_init, sdm845_slpi_resource_init, qcom_q6v5_pas.c;
            // SW_ID 0x18: qcom/sdm845/Thundercomm/db845c/slpi.mbn, qcom/sm8250/Thundercomm/RB5/slpi.mbn
            Map.entry(12L, new Expected("SLPI", 0x18)),
            // GPU_PAS_ID 13, drivers/gpu/drm/msm/adreno/adreno_gpu.c (the zap shader);
            // SW_ID 0x14: qcom/sdm845/a630_zap.mbn, qcom/sm8250/a650_zap.mbn, qcom/x1e80100/gen70500_zap.mbn
            Map.entry(13L, new Expected("GPU zap shader", 0x14)),
            // IPA_PAS_ID 15, drivers/net/ipa/ipa_main.c; SW_ID 0x1d: qcom/qcm6490/ipa_fws.mbn
            Map.entry(15L, new Expected("IPA", 0x1d)),
            // pas_id 18: cdsp_resource_init, sm8250_cdsp_resource, sa8775p_cdsp0_resource, qcom_q6v5_pas.c;
            // SW_ID 0x17: qcom/sdm845/cdsp.mbn, qcom/sm8250/cdsp.mbn, qcom/sa8775p/cdsp0.mbn
            Map.entry(18L, new Expected("CDSP", 0x17)),
            // pas_id 30: sa8775p_cdsp1_resource, sc8280xp_nsp1_resource, qcom_q6v5_pas.c;
            // SW_ID 0x44: qcom/sa8775p/cdsp1.mbn
            Map.entry(30L, new Expected("CDSP1 / NSP1", 0x44)),
            // pas_id 39: sa8775p_gpdsp0_resource, qcom_q6v5_pas.c; SW_ID 0x58: qcom/sa8775p/gpdsp0.mbn, qcom/qcs8300/gpdsp0.mbn
            Map.entry(39L, new Expected("GPDSP0", 0x58)),
            // pas_id 40: sa8775p_gpdsp1_resource, qcom_q6v5_pas.c; SW_ID 0x5a: qcom/sa8775p/gpdsp1.mbn
            Map.entry(40L, new Expected("GPDSP1", 0x5a)),
            // dtb_pas_id 0x24: sm8550_adsp_resource and x1e80100_adsp_resource (dtb_firmware_name
            // "adsp_dtb.mdt"), qcom_q6v5_pas.c; SW_ID 0x53: qcom/x1e80100/adsp_dtb.mbn
            Map.entry(0x24L, new Expected("ADSP DTB companion", 0x53)));

    /** The expected SW_ID of {@code pasId}; empty for a PAS id no public source pairs with one. */
    public static Optional<Expected> of(long pasId) {
        return Optional.ofNullable(BY_PAS_ID.get(pasId));
    }
}
