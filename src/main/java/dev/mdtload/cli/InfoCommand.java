package dev.mdtload.cli;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.Validator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "info",
        header = "Show what an image contains and where it will land in memory.",
        description = {"Example: mdtload info /lib/firmware/qcom/sm8250/a650_zap.mbn"})
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    UnsignedOption unsigned;

    @Mixin
    StrictOption strict;

    @Parameters(paramLabel = "IMAGE", description = "The image (.mdt or .mbn).")
    Path image;

    @Override
    public Integer call() throws IOException, UsageFailure {
        if (!Files.exists(image)) {
            throw new NoSuchFileException(image.toString(), null, "no such file or directory");
        }
        if (Files.isDirectory(image)) {
            throw new UsageFailure(image + ": is a directory; info takes one image (validate takes directories)");
        }
        ImageReport r = new Validator(unsigned.allowUnsigned, strict.strict).validate(image);
        PrintWriter out = spec.commandLine().getOut();
        int exit = r.valid() ? ExitCode.OK : ExitCode.INVALID;
        if (common.json) {
            out.println(Json.verdict(spec, exit, new ValidateCommand.Judged(r, null, null), r.errors(), r.warnings()));
        } else {
            print(out, r);
        }
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        Errors.print(err, r);
        err.flush();
        return exit;
    }

    private static void print(PrintWriter out, ImageReport r) {
        out.println(r.path());
        if (r.segments() == null) {
            out.println("  unreadable ELF header");
            return;
        }
        out.printf("  ELF%d, %d program headers, %s%n", r.elfClass(), r.phnum(),
                r.split() ? "split into .bNN parts" : "single file");
        out.printf("  hash segment:  %s%n", r.mbnVersion() == null ? "none"
                : "MBN v" + r.mbnVersion() + ", " + r.digestAlgorithm());
        out.printf("  signature:     %s, cert chain %s%n", orNone(r.signatureSize()), orNone(r.certChainSize()));
        out.printf("  lowest addr:   %s%s%n", Numbers.hex(r.minAddress()), r.relocatable() ? " (relocatable)" : " (fixed)");
        out.printf("  span:          %s%n", Numbers.size(r.span()));
        out.printf("  load size:     %s (4 KiB-rounded, as the kernel computes it)%n", Numbers.size(r.loadSize()));
        out.println();
        out.printf("  %3s %-5s %-5s %-4s %-10s %-10s %-10s %10s %10s  %-12s %s%n",
                "#", "type", "qcom", "perm", "flags", "offset", "paddr", "filesz", "memsz", "source", "digest");
        for (ImageReport.Segment s : r.segments()) {
            out.printf("  %3d %-5s %-5s %-4s %-10s %-10s %-10s %10d %10d  %-12s %s%n",
                    s.index(), typeName(s.pType()), qcomName(s), ProgramHeader.permissions(s.flags()), Numbers.hex(s.flags()),
                    Numbers.hex(s.offset()), Numbers.hex(s.paddr()), s.filesz(), s.memsz(),
                    s.source() == null ? "-" : s.source(), s.digest());
        }
        out.println();
        for (Violation w : r.warnings()) {
            out.println("  warning: " + (w.segment() == null ? "" : "segment " + w.segment() + ": ") + w.message()
                    + " [" + w.rule().id() + "]");
        }
        out.println(r.valid() ? "  verdict: VALID" + ValidateCommand.warnings(r.warnings())
                : "  verdict: INVALID (" + r.errors().size() + " errors)");
    }

    private static String orNone(Long size) {
        return size == null || size == 0 ? "none" : size + " bytes";
    }

    private static String typeName(long pType) {
        return pType == 0 ? "NULL" : pType == 1 ? "LOAD" : Numbers.hex(pType);
    }

    private static String qcomName(ImageReport.Segment s) {
        return switch (s.qcomType()) {
            case 2 -> "hash";
            case 7 -> "phdr";
            case 0 -> s.loadable() ? "load" : "-";
            default -> String.valueOf(s.qcomType());
        };
    }
}
