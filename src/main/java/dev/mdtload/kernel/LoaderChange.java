package dev.mdtload.kernel;

import java.util.List;

/**
 * The changes to the kernel's firmware loading (drivers/soc/qcom/mdt_loader.c, and the PAS driver
 * where it changes which images are loaded), one row each: the first
 * mainline release that has it, the commit subject, and the stable releases seen to carry a
 * backport. This is the one table of the kernel's versioned rules; the checks read it through
 * {@link KernelRules}.
 *
 * <p>Stable backports are recorded as the releases where they were <em>observed</em> (Debian's
 * 6.1.192 and 6.12.95 booted in QEMU by {@code make test-kernel-loader}, 2026-11-30; the oracle in
 * src/test/resources/dev/mdtload/kernel/): the first point release of a series that took a fix is
 * not established here, so an older point release of that series is modelled without it.
 */
public enum LoaderChange {
    /** Since the 2021 fix; every modelled kernel has it, listed so the table is complete. */
    FILESZ_WITHIN_MEMSZ("p_filesz > p_memsz is refused", v(5, 13, 0), "84168d1b54e7",
            "soc: qcom: mdt_loader: Validate that p_filesz < p_memsz", List.of(), Effect.VERDICT),
    /**
     * From it, a single file is taken for split when any program header's bytes lie past its end
     * (qcom_mdt_bins_are_split()); before it each segment was read from the file when it fitted and
     * from its part otherwise, so a p_filesz 0 header past the end asked for nothing. Mainline took
     * it in the same 6.5 pull (soc-drivers-6.5) as {@link #SPLIT_SKIPS_EMPTY_HEADERS}, so no mainline
     * release misreads a single file. Stable took it in 2025 next to {@link #HEADER_CHECKS} (the stable
     * queues list the two together), without the fix: Debian's 6.1.192 misreads the five images.
     */
    SPLIT_DETECTED_FROM_HEADERS("a single file is split when a program header's bytes lie past its end", v(6, 5, 0),
            "210d12c8197a", "soc: qcom: mdt_loader: Enhance split binary detection", List.of(v(6, 1, 192)),
            Effect.VERDICT),
    /**
     * Before it, qcom_mdt_bins_are_split() counts every program header, p_filesz 0 ones too: a
     * single file whose bss-like last header has a p_offset past the file's end is taken as split.
     * Mainline commit 0d25da8e7e1e, in "ARM: SoC drivers for 6.5" (tags/soc-drivers-6.5, based on
     * 6.4-rc3); Debian's 6.1.192 does not carry it.
     */
    SPLIT_SKIPS_EMPTY_HEADERS("split detection skips program headers with p_filesz 0", v(6, 5, 0), "0d25da8e7e1e",
            "soc: qcom: mdt_loader: Fix split image detection", List.of(), Effect.VERDICT),
    /**
     * From it, qcom_q6v5_pas requests a second image, the DTB firmware ({@code *_dtb.mbn}, e.g.
     * qcom/x1e80100/adsp_dtb.mbn in the corpus), and authenticates it under its own PAS id
     * (dtb_pas_id) before the main image, on SoCs whose PAS data names a dtb_firmware_name (SM8550,
     * added by the same series, and later). That file is read by the same mdt_loader.c as every
     * image, so no verdict changes and validate does not read this row: before 6.3 the kernel never
     * asks for the file (nor knows those SoCs), which is the board's concern, not the image's.
     */
    DTB_PAS_IMAGES("the PAS driver also loads the SoC's *_dtb.mbn under its own PAS id", v(6, 3, 0), "29814986b82e",
            "remoteproc: qcom_q6v5_pas: add support for dtb co-firmware loading", List.of(), Effect.NONE),
    /** mdt_header_valid(): e_phentsize, the program-header table within the file, section headers when present. */
    HEADER_CHECKS("ELF header checked before any program header is read", v(6, 17, 0), "9f9967fed9d0",
            "soc: qcom: mdt_loader: Ensure we don't read past the ELF header", List.of(v(6, 1, 192), v(6, 12, 95)),
            Effect.VERDICT),
    /** Before it, the loader reads the program headers right after the ELF header, whatever e_phoff says. */
    E_PHOFF_HONOURED("program headers read at e_phoff", v(6, 17, 0), "47e339cac891",
            "soc: qcom: mdt_loader: Actually use the e_phoff", List.of(v(6, 12, 95)), Effect.VERDICT);

    /** Whether a change can turn an image's verdict: only those bound the version ranges of --kernel all. */
    public enum Effect {
        /** mdt_loader.c reads an image differently: some image loads on one side and not the other. */
        VERDICT,
        /** Which files the kernel asks for changes, not how it reads one: no image's verdict moves. */
        NONE
    }

    private final String summary;
    private final KernelVersion mainline;
    private final String commit;
    private final String subject;
    private final List<KernelVersion> backports;
    private final Effect effect;

    LoaderChange(String summary, KernelVersion mainline, String commit, String subject, List<KernelVersion> backports,
                 Effect effect) {
        this.effect = effect;
        this.summary = summary;
        this.mainline = mainline;
        this.commit = commit;
        this.subject = subject;
        this.backports = backports;
    }

    private static KernelVersion v(int major, int minor, int patch) {
        return new KernelVersion(major, minor, patch);
    }

    /** Whether {@code kernel} has this change: a mainline release from it on, or a stable release with the backport. */
    public boolean in(KernelVersion kernel) {
        return kernel.compareTo(mainline) >= 0
                || backports.stream().anyMatch(b -> b.sameSeries(kernel) && kernel.compareTo(b) >= 0);
    }

    public String summary() {
        return summary;
    }

    public KernelVersion mainline() {
        return mainline;
    }

    /** The abbreviated mainline commit id. */
    public String commit() {
        return commit;
    }

    public String subject() {
        return subject;
    }

    public List<KernelVersion> backports() {
        return backports;
    }

    public Effect effect() {
        return effect;
    }
}
