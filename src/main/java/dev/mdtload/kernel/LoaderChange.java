package dev.mdtload.kernel;

import java.util.List;

/**
 * The changes to drivers/soc/qcom/mdt_loader.c that change a verdict, one row each: the first
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
            "soc: qcom: mdt_loader: Validate that p_filesz < p_memsz", List.of()),
    /**
     * Before it, qcom_mdt_bins_are_split() counts every program header, p_filesz 0 ones too: a
     * single file whose bss-like last header has a p_offset past the file's end is taken as split.
     * Posted 2023-06-12 for the 6.5 cycle; Debian's 6.1.192 does not carry it.
     */
    SPLIT_SKIPS_EMPTY_HEADERS("split detection skips program headers with p_filesz 0", v(6, 5, 0), null,
            "soc: qcom: mdt_loader: Fix split image detection", List.of()),
    /** mdt_header_valid(): e_phentsize, the program-header table within the file, section headers when present. */
    HEADER_CHECKS("ELF header checked before any program header is read", v(6, 17, 0), "9f9967fed9d0",
            "soc: qcom: mdt_loader: Ensure we don't read past the ELF header", List.of(v(6, 1, 192), v(6, 12, 95))),
    /** Before it, the loader reads the program headers right after the ELF header, whatever e_phoff says. */
    E_PHOFF_HONOURED("program headers read at e_phoff", v(6, 17, 0), null,
            "soc: qcom: mdt_loader: Actually use the e_phoff", List.of(v(6, 12, 95)));

    private final String summary;
    private final KernelVersion mainline;
    private final String commit;
    private final String subject;
    private final List<KernelVersion> backports;

    LoaderChange(String summary, KernelVersion mainline, String commit, String subject, List<KernelVersion> backports) {
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

    /** The abbreviated mainline commit id, or null where only the subject was checked. */
    public String commit() {
        return commit;
    }

    public String subject() {
        return subject;
    }

    public List<KernelVersion> backports() {
        return backports;
    }
}
