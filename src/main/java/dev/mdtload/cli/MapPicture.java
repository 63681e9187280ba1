package dev.mdtload.cli;

import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.image.LoadLayout.Placement;

import java.util.List;
import java.util.Locale;

/**
 * Draws where each segment lands in a carveout: a table and a one-line bar for the terminal, an
 * SVG for documents. File bytes and zero-filled tails are told apart, as are unused gaps.
 */
final class MapPicture {
    private static final int BAR_CELLS = 64;
    private static final String SEGMENT_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final String image;
    private final long base;
    private final long size;
    private final boolean relocatable;
    private final List<Placement> placements;

    MapPicture(String image, long base, long size, boolean relocatable, List<Placement> placements) {
        this.image = image;
        this.base = base;
        this.size = size;
        this.relocatable = relocatable;
        this.placements = placements;
    }

    String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s in carveout 0x%x..0x%x (%s), %s%n", image, base, base + size, Numbers.size(size),
                relocatable ? "relocatable: placed at the carveout base" : "fixed: segments at their own addresses"));
        b.append(String.format("  %4s  %-10s  %-12s  %10s  %10s  %-12s  %s%n",
                "seg", "offset", "address", "filesz", "memsz", "end", "perm"));
        long used = 0;
        for (Placement p : placements) {
            ProgramHeader h = p.phdr();
            used += h.p_memsz();
            b.append(String.format("  %4s  %-10s  %-12s  %10d  %10d  %-12s  %s%n", "#" + h.index(),
                    Numbers.hex(p.offset()), Numbers.hex(p.address()), h.p_filesz(), h.p_memsz(),
                    Numbers.hex(p.address() + h.p_memsz()), h.permissions()));
        }
        b.append(String.format("  %s of %s used by segments%n", Numbers.size(used), Numbers.size(size)));
        b.append("  [").append(bar()).append("]  (digit = segment, '.' = unused; one cell = ")
                .append(Numbers.size(Math.max(1, size / BAR_CELLS))).append(")\n");
        return b.toString();
    }

    private String bar() {
        char[] cells = new char[BAR_CELLS];
        java.util.Arrays.fill(cells, '.');
        for (Placement p : placements) {
            long memsz = p.phdr().p_memsz();
            int from = cell(p.offset());
            int to = Math.max(from, cell(p.offset() + memsz - 1));
            char c = SEGMENT_CHARS.charAt(p.phdr().index() % SEGMENT_CHARS.length());
            for (int i = from; i <= to && i < BAR_CELLS; i++) {
                cells[i] = c;
            }
        }
        return new String(cells);
    }

    private int cell(long offset) {
        return (int) Math.min(BAR_CELLS - 1, (double) offset * BAR_CELLS / size);
    }

    String svg() {
        int width = 900;
        int barX = 150;
        int barWidth = 700;
        int rowHeight = 22;
        int top = 50;
        int height = top + rowHeight * (placements.size() + 1) + 40;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"monospace\" font-size=\"12\">%n",
                width, height));
        b.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\">%s in carveout 0x%x..0x%x (%s)</text>%n",
                escape(image), base, base + size, relocatable ? "relocatable" : "fixed"));
        b.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f4f4f4\" stroke=\"#888\"/>%n",
                barX, top - 20, barWidth, rowHeight * (placements.size() + 1)));
        int row = 0;
        for (Placement p : placements) {
            ProgramHeader h = p.phdr();
            double x = barX + (double) p.offset() * barWidth / size;
            double fileWidth = Math.max(0.5, (double) h.p_filesz() * barWidth / size);
            double memWidth = Math.max(1, (double) h.p_memsz() * barWidth / size);
            int y = top + row * rowHeight;
            b.append(String.format(Locale.ROOT,
                    "<text x=\"10\" y=\"%d\">#%d 0x%x</text>%n", y + 12, h.index(), p.address()));
            b.append(String.format(Locale.ROOT,
                    "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"16\" fill=\"#cfe3ff\" stroke=\"#3a6ea5\"><title>segment %d: zero-filled to p_memsz %d</title></rect>%n",
                    x, y, memWidth, h.index(), h.p_memsz()));
            b.append(String.format(Locale.ROOT,
                    "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"16\" fill=\"#3a6ea5\"><title>segment %d: %d file bytes</title></rect>%n",
                    x, y, h.p_filesz() == 0 ? 0 : fileWidth, h.index(), h.p_filesz()));
            row++;
        }
        int legendY = top + row * rowHeight + 20;
        b.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\">dark: file bytes, light: zero fill, grey: unused; offsets scaled to %s</text>%n",
                barX, legendY, Numbers.size(size)));
        b.append("</svg>\n");
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
