package dev.mdtload.preflight;

import dev.mdtload.preflight.BoardFacts.Fact;
import dev.mdtload.scm.SecureWorldSetup;

import java.util.List;

/**
 * The "lite" firmware a SoC's boot firmware starts on a processor before Linux runs, under PAS ids
 * of its own. The kernel's qcom_q6v5_pas driver (drivers/remoteproc/qcom_q6v5_pas.c) shuts it down
 * in qcom_pas_load(), formerly adsp_load(), before it loads the DTB companion and the main image:
 * a PAS shutdown of the adsp_data's {@code lite_pas_id}, then of its {@code lite_dtb_pas_id}, each
 * result ignored, as the kernel cannot tell whether the lite firmware runs at all.
 */
public final class LiteFirmware {
    private LiteFirmware() {}

    /**
     * One processor's lite firmware, as the kernel's adsp_data gives it.
     *
     * @param pasId         the processor's own PAS id ({@code pas_id})
     * @param dtbPasId      its DTB companion's ({@code dtb_pas_id})
     * @param litePasId     the lite firmware's ({@code lite_pas_id}), which holds {@code pasId}
     * @param liteDtbPasId  the lite firmware's DTB ({@code lite_dtb_pas_id}), which holds {@code dtbPasId}
     */
    public record Processor(String soc, String processor, long pasId, long dtbPasId, long litePasId, long liteDtbPasId) {
        /** What the kernel shuts down before loading this processor, in its order. */
        public List<Long> shutdowns() {
            return List.of(litePasId, liteDtbPasId);
        }
    }

    private static final List<Processor> TABLE = List.of(
            // x1e80100_adsp_resource, qcom_q6v5_pas.c: pas_id 1, dtb_pas_id 0x24, lite_pas_id 0x1f
            // ("remoteproc: qcom_q6v5_pas: Unload lite firmware on ADSP", commit 62210f7509e1) and
            // lite_dtb_pas_id 0x29 (Stephan Gerhold's "Shutdown lite ADSP DTB on X1E", which fixes it).
            // x1e80100_cdsp_resource has neither: its boot firmware starts no lite CDSP.
            new Processor("x1e80100", "ADSP", 1, 0x24, 0x1f, 0x29));

    /** The lite firmware the kernel shuts down before loading {@code pasId} on {@code facts}'s SoC; none when unknown. */
    public static List<Long> shutdowns(BoardFacts facts, long pasId) {
        return of(facts).stream().filter(p -> p.pasId() == pasId).findFirst().map(Processor::shutdowns).orElse(List.of());
    }

    /** What a secure world on {@code facts}'s SoC holds when Linux starts: each lite firmware, holding its processor's PAS id. */
    public static List<SecureWorldSetup.Lite> running(BoardFacts facts) {
        return of(facts).stream().flatMap(p -> List.of(new SecureWorldSetup.Lite(p.litePasId(), p.pasId()),
                new SecureWorldSetup.Lite(p.liteDtbPasId(), p.dtbPasId())).stream()).toList();
    }

    private static List<Processor> of(BoardFacts facts) {
        return facts.get(Fact.Soc.class).map(soc -> TABLE.stream().filter(p -> p.soc().equals(soc.name())).toList())
                .orElse(List.of());
    }
}
