package dev.mdtload.elf;

/** The ELF header fields mdtload uses, widened to unsigned longs/ints. */
public record ElfHeader(
        ElfClass elfClass,
        int e_type,
        int e_machine,
        long e_entry,
        long e_phoff,
        long e_shoff,
        long e_flags,
        int e_ehsize,
        int e_phentsize,
        int e_phnum,
        int e_shentsize,
        int e_shnum) {
}
