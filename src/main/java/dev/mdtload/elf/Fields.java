package dev.mdtload.elf;

import dev.mdtload.elf.ElfLayouts.Field;

import java.lang.foreign.StructLayout;

/** VarHandle-backed accessors for each header field of both classes, derived once from {@link ElfLayouts}. */
final class Fields {
    private Fields() {}

    record Ehdr(Field e_type, Field e_machine, Field e_version, Field e_entry, Field e_phoff, Field e_shoff,
                Field e_flags, Field e_ehsize, Field e_phentsize, Field e_phnum, Field e_shentsize,
                Field e_shnum, Field e_shstrndx) {
        static Ehdr of(StructLayout s) {
            return new Ehdr(Field.of(s, "e_type"), Field.of(s, "e_machine"), Field.of(s, "e_version"),
                    Field.of(s, "e_entry"), Field.of(s, "e_phoff"), Field.of(s, "e_shoff"), Field.of(s, "e_flags"),
                    Field.of(s, "e_ehsize"), Field.of(s, "e_phentsize"), Field.of(s, "e_phnum"),
                    Field.of(s, "e_shentsize"), Field.of(s, "e_shnum"), Field.of(s, "e_shstrndx"));
        }
    }

    record Phdr(Field p_type, Field p_flags, Field p_offset, Field p_vaddr, Field p_paddr, Field p_filesz,
                Field p_memsz, Field p_align) {
        static Phdr of(StructLayout s) {
            return new Phdr(Field.of(s, "p_type"), Field.of(s, "p_flags"), Field.of(s, "p_offset"),
                    Field.of(s, "p_vaddr"), Field.of(s, "p_paddr"), Field.of(s, "p_filesz"),
                    Field.of(s, "p_memsz"), Field.of(s, "p_align"));
        }
    }

    private static final Ehdr EHDR32 = Ehdr.of(ElfLayouts.ELF32_EHDR);
    private static final Ehdr EHDR64 = Ehdr.of(ElfLayouts.ELF64_EHDR);
    private static final Phdr PHDR32 = Phdr.of(ElfLayouts.ELF32_PHDR);
    private static final Phdr PHDR64 = Phdr.of(ElfLayouts.ELF64_PHDR);

    static Ehdr ehdr(ElfClass c) {
        return c == ElfClass.ELF32 ? EHDR32 : EHDR64;
    }

    static Phdr phdr(ElfClass c) {
        return c == ElfClass.ELF32 ? PHDR32 : PHDR64;
    }
}
