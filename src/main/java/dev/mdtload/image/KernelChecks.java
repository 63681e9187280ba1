package dev.mdtload.image;

import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.kernel.KernelRules;
import dev.mdtload.kernel.LoaderChange;
import dev.mdtload.mbn.PartName;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules that depend on which kernel loads the image, read from {@link LoaderChange}'s table:
 * what mdtload can read but a given kernel's loader cannot. The rules every modelled kernel shares
 * are checked while the image is opened.
 */
final class KernelChecks {
    private KernelChecks() {
    }

    static List<Violation> of(FirmwareImage image, KernelRules kernel) {
        String name = image.path().toString();
        List<Violation> found = new ArrayList<>();
        if (image.elfClass() != ElfClass.ELF32) {
            found.add(Violation.of(Rule.ELF64_NOT_LOADABLE, name, String.format(
                    "ELF%d image: kernel %s reads only ELF32 headers and refuses it (-EINVAL)",
                    image.elfClass().bits(), kernel)));
            return found;
        }
        long phoff = image.elf().header().e_phoff();
        if (!kernel.has(LoaderChange.E_PHOFF_HONOURED) && phoff != ElfClass.ELF32.ehdrSize()) {
            found.add(Violation.of(Rule.PHOFF_IGNORED, name, String.format(
                    "e_phoff 0x%x: kernel %s reads the program headers at 0x%x", phoff, kernel,
                    ElfClass.ELF32.ehdrSize())));
        }
        if (kernel.has(LoaderChange.SPLIT_DETECTED_FROM_HEADERS) && !kernel.has(LoaderChange.SPLIT_SKIPS_EMPTY_HEADERS)
                && !image.split()) {
            takenAsSplit(image, kernel, name).ifPresent(found::add);
        }
        return found;
    }

    /**
     * A single file the kernel takes for split: some header without file bytes starts past the end of
     * the file. The loader then requests the part of the first loadable segment with file bytes.
     */
    private static Optional<Violation> takenAsSplit(FirmwareImage image, KernelRules kernel, String name) {
        long size = image.fileBytes().byteSize();
        ProgramHeader past = image.elf().phdrs().stream()
                .filter(p -> p.p_filesz() == 0 && Long.compareUnsigned(p.p_offset(), size) > 0)
                .findFirst().orElse(null);
        if (past == null) {
            return Optional.empty();
        }
        return image.elf().phdrs().stream().filter(p -> p.isLoadable() && p.p_filesz() != 0).findFirst()
                .map(p -> Violation.of(Rule.TAKEN_AS_SPLIT, name, p.index(), String.format(
                        "kernel %s takes the file for split (segment %d: p_filesz 0 at p_offset 0x%x, past its "
                                + "0x%x bytes) and fails with -ENOENT loading %s",
                        kernel, past.index(), past.p_offset(), size, PartName.of(image.path(), p.index()).getFileName())));
    }
}
