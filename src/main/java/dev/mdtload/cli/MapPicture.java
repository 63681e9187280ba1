package dev.mdtload.cli;

import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.image.LoadLayout.Placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Draws where each segment lands in a carveout: a table and a one-line bar for the terminal, an
 * SVG for documents. File bytes and zero-filled tails are told apart, as are unused gaps.
 */
final class MapPicture {
    private static final int BAR_CELLS = 64;
    private static final String SEGMENT_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final char GAP = '.';

    private final String image;
    private final long base;
    private final long size;
    private final boolean relocatable;
    private final List<Placement> placements;
    private final List<Run> runs;
    /** Where the SVG's bars start: right of the widest row name. */
    private final int barX;

    MapPicture(String image, long base, long size, boolean relocatable, List<Placement> placements) {
        this.image = image;
        this.base = base;
        this.size = size;
        this.relocatable = relocatable;
        this.placements = placements.stream().sorted(Comparator.comparingLong(Placement::offset)).toList();
        this.runs = runs(this.placements, size);
        this.barX = MARGIN + (int) Math.ceil(runs.stream().mapToInt(r -> rowName(r).length()).max().orElse(3) * CHAR_WIDTH) + 8;
    }

    /** A stretch of the carveout in address order: one segment's memory, or unused bytes between them. */
    private sealed interface Run {
        long offset();

        long length();

        record Segment(Placement placement) implements Run {
            @Override
            public long offset() {
                return placement.offset();
            }

            @Override
            public long length() {
                return placement.phdr().p_memsz();
            }
        }

        record Gap(long offset, long length) implements Run {}
    }

    /** Segments in address order with the gaps around them; segments that share memory (zero fill) each keep their run. */
    private static List<Run> runs(List<Placement> sorted, long size) {
        List<Run> runs = new ArrayList<>();
        long cursor = 0;
        for (Placement p : sorted) {
            if (p.offset() > cursor) {
                runs.add(new Run.Gap(cursor, p.offset() - cursor));
            }
            runs.add(new Run.Segment(p));
            cursor = Math.max(cursor, p.offset() + p.phdr().p_memsz());
        }
        if (cursor < size) {
            runs.add(new Run.Gap(cursor, size - cursor));
        }
        return runs;
    }

    String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s in carveout 0x%x..0x%x (%s), %s%n", image, base, base + size, Numbers.size(size),
                relocatable ? "relocatable: placed at the carveout base" : "fixed: segments at their own addresses"));
        b.append(String.format("  %4s  %-10s  %-12s  %10s  %10s  %-12s  %s%n",
                "seg", "offset", "address", "filesz", "memsz", "end", "perm"));
        long used = 0;
        for (Run run : runs) {
            switch (run) {
                case Run.Segment(Placement p) -> {
                    ProgramHeader h = p.phdr();
                    used += h.p_memsz();
                    b.append(String.format("  %4s  %-10s  %-12s  %10d  %10d  %-12s  %s%n", "#" + h.index(),
                            Numbers.hex(p.offset()), Numbers.hex(p.address()), h.p_filesz(), h.p_memsz(),
                            Numbers.hex(p.address() + h.p_memsz()), h.permissions()));
                }
                case Run.Gap(long offset, long length) -> b.append(String.format("  %4s  %-10s  %-12s  %10s  %10d  %s%n",
                        "gap", Numbers.hex(offset), Numbers.hex(base + offset), "", length, Numbers.hex(base + offset + length)));
            }
        }
        b.append(String.format("  %s of %s used by segments%n", Numbers.size(used), Numbers.size(size)));
        b.append("  [").append(bar()).append("]  (digit = segment, '").append(GAP)
                .append("' = unused; each at least one cell, the rest to scale)\n");
        return b.toString();
    }

    /**
     * One cell per run at least, so a 4 KiB segment beside an 8 MiB one is still seen; the cells
     * left over go to the runs in proportion to their length (largest remainder first).
     */
    private String bar() {
        int cells = Math.max(BAR_CELLS, runs.size());
        int spare = cells - runs.size();
        long total = runs.stream().mapToLong(Run::length).sum();
        int[] widths = new int[runs.size()];
        double[] remainders = new double[runs.size()];
        int given = 0;
        for (int i = 0; i < runs.size(); i++) {
            double share = (double) spare * runs.get(i).length() / total;
            widths[i] = 1 + (int) share;
            remainders[i] = share - (int) share;
            given += (int) share;
        }
        List<Integer> byRemainder = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            byRemainder.add(i);
        }
        byRemainder.sort(Comparator.comparingDouble((Integer i) -> remainders[i]).reversed());
        for (int k = 0; k < spare - given; k++) {
            widths[byRemainder.get(k)]++;
        }
        StringBuilder b = new StringBuilder(cells);
        for (int i = 0; i < runs.size(); i++) {
            b.repeat(switch (runs.get(i)) {
                case Run.Segment(Placement p) -> SEGMENT_CHARS.charAt(p.phdr().index() % SEGMENT_CHARS.length());
                case Run.Gap ignored -> GAP;
            }, widths[i]);
        }
        return b.toString();
    }

    // ---- SVG ---------------------------------------------------------------------------------------

    private static final int FONT = 12;
    /** Advance of one character of the monospace font at FONT px (DejaVu Sans Mono: 0.602 em), rounded up. */
    private static final double CHAR_WIDTH = 7.3;
    private static final int MARGIN = 10;
    private static final int BAR_WIDTH = 640;
    private static final int ROW = 20;
    private static final int AXIS_TICKS = 5;
    private static final String FILE_COLOUR = "#3a6ea5";
    private static final String ZERO_COLOUR = "#cfe3ff";
    private static final String GAP_COLOUR = "#e4e4e4";

    /** The drawing's texts, each where it starts and how it is anchored, so the width can be made to hold them. */
    private record Label(double x, double y, String text, String anchor, String extra) {
        double right() {
            double w = text.length() * CHAR_WIDTH;
            return switch (anchor) {
                case "end" -> x;
                case "middle" -> x + w / 2;
                default -> x + w;
            };
        }

        String svg() {
            return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n",
                    x, y, anchor, extra, escape(text));
        }
    }

    /**
     * The carveout to scale with an address axis (ticks labelled with their addresses), one row per
     * segment and gap with its start, end and size, and a legend; as wide as its longest label.
     */
    String svg() {
        List<Label> labels = new ArrayList<>();
        StringBuilder shapes = new StringBuilder();
        labels.add(new Label(MARGIN, 20, String.format(Locale.ROOT, "%s in carveout 0x%x..0x%x (%s), %s", image, base,
                base + size, Numbers.size(size), relocatable ? "relocatable" : "fixed"), "start", " font-weight=\"bold\""));
        // the overview: the whole carveout, every run to scale
        int overviewY = 34;
        shapes.append(rect(barX, overviewY, BAR_WIDTH, 24, GAP_COLOUR, "none", "unused"));
        for (Run run : runs) {
            if (run instanceof Run.Segment(Placement p)) {
                segmentShapes(shapes, p, overviewY, 24);
            }
        }
        // the address axis under it
        int axisY = overviewY + 30;
        shapes.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                barX, axisY, barX + BAR_WIDTH, axisY));
        for (int t = 0; t < AXIS_TICKS; t++) {
            double x = barX + (double) BAR_WIDTH * t / (AXIS_TICKS - 1);
            long address = base + Math.round((double) size * t / (AXIS_TICKS - 1));
            shapes.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>%n",
                    x, axisY, x, axisY + 5));
            String anchor = t == 0 ? "start" : t == AXIS_TICKS - 1 ? "end" : "middle";
            labels.add(new Label(x, axisY + 5 + FONT, String.format("0x%x", address), anchor, ""));
        }
        // one row per run: where it lies in the carveout, and its start, end and size beside the bar
        int y = axisY + 5 + FONT + 14;
        double textX = barX + BAR_WIDTH + 10;
        for (Run run : runs) {
            labels.add(new Label(MARGIN, y + 12, rowName(run), "start", ""));
            shapes.append(rect(barX, y, BAR_WIDTH, 16, "none", "#ccc", ""));
            switch (run) {
                case Run.Segment(Placement p) -> segmentShapes(shapes, p, y, 16);
                case Run.Gap(long offset, long length) -> shapes.append(rect(x(offset), y, Math.max(1, w(length)), 16,
                        GAP_COLOUR, "none", String.format("unused: 0x%x bytes", length)));
            }
            labels.add(new Label(textX, y + 12, rowText(run), "start", ""));
            y += ROW;
        }
        // the legend
        y += 8;
        double legendX = MARGIN;
        for (String[] entry : new String[][]{{FILE_COLOUR, "file bytes"}, {ZERO_COLOUR, "zero fill (p_memsz beyond p_filesz)"},
                {GAP_COLOUR, "unused"}}) {
            shapes.append(rect(legendX, y, 12, 12, entry[0], "#888", ""));
            Label l = new Label(legendX + 18, y + 11, entry[1], "start", "");
            labels.add(l);
            legendX = l.right() + 24;
        }
        int height = y + 12 + MARGIN + 4;
        int width = (int) Math.ceil(labels.stream().mapToDouble(Label::right).max().orElse(0)) + MARGIN;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"%d\">%n", width, height, width, height, FONT));
        b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        b.append(shapes);
        labels.forEach(l -> b.append(l.svg()));
        b.append("</svg>\n");
        return b.toString();
    }

    private void segmentShapes(StringBuilder shapes, Placement p, int y, int height) {
        ProgramHeader h = p.phdr();
        // a segment is at least 2 px wide, as the terminal bar gives it at least one cell
        shapes.append(rect(x(p.offset()), y, Math.max(2, w(h.p_memsz())), height, ZERO_COLOUR, "none",
                String.format("segment %d: 0x%x bytes in memory", h.index(), h.p_memsz())));
        if (h.p_filesz() > 0) {
            shapes.append(rect(x(p.offset()), y, Math.max(2, w(h.p_filesz())), height, FILE_COLOUR, "none",
                    String.format("segment %d: %d file bytes", h.index(), h.p_filesz())));
        }
    }

    private double x(long offset) {
        return barX + (double) offset * BAR_WIDTH / size;
    }

    private double w(long length) {
        return (double) length * BAR_WIDTH / size;
    }

    private static String rowName(Run run) {
        return switch (run) {
            case Run.Segment(Placement p) -> "#" + p.phdr().index();
            case Run.Gap ignored -> "gap";
        };
    }

    private String rowText(Run run) {
        long start = base + run.offset();
        String where = String.format("0x%x..0x%x  %s", start, start + run.length(), Numbers.size(run.length()));
        return switch (run) {
            case Run.Segment(Placement p) -> where + String.format(", %d in the file", p.phdr().p_filesz());
            case Run.Gap ignored -> where + " unused";
        };
    }

    private static String rect(double x, double y, double width, double height, String fill, String stroke, String title) {
        String shape = String.format(Locale.ROOT,
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\" stroke=\"%s\"",
                x, y, width, height, fill, stroke);
        return title.isEmpty() ? shape + "/>\n" : shape + "><title>" + escape(title) + "</title></rect>\n";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
