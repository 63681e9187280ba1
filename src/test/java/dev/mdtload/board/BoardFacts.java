package dev.mdtload.board;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake board's facts read from its {@code .dts} source with a few regular expressions, not
 * with anything mdtload has: the leaf nodes of {@code /reserved-memory} and of {@code /soc@0}.
 */
record BoardFacts(List<CarveoutFact> carveouts, List<ProcessorFact> processors) {
    static final Path SAMPLES = Path.of(System.getProperty("mdtload.samples", "firmware-samples"));
    static final Path BOARD = SAMPLES.resolve("board");
    static final Path DTS = BOARD.resolve("board.dts");
    static final Path DTB = BOARD.resolve("board.dtb");
    static final Path ROOT = BOARD.resolve("root");

    record CarveoutFact(String label, String name, long base, long size, boolean noMap) {}

    record ProcessorFact(String name, List<String> compatible, String regionLabel, String firmware, boolean enabled) {}

    private static final Pattern LEAF = Pattern.compile("(?:(\\w+): )?([\\w,.@-]+) \\{([^{}]*)\\};");
    private static final Pattern REG = Pattern.compile("reg = <0x0 (0x[0-9a-f]+) 0x0 (0x[0-9a-f]+)>;");
    private static final Pattern STRINGS = Pattern.compile("%s = ([^;]*);");
    private static final Pattern REGION = Pattern.compile("memory-region = <&(\\w+)>;");

    static BoardFacts read() {
        String dts;
        try {
            dts = Files.readString(DTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int reserved = dts.indexOf("reserved-memory {");
        int soc = dts.indexOf("soc@0 {");
        List<CarveoutFact> carveouts = new ArrayList<>();
        List<ProcessorFact> processors = new ArrayList<>();
        Matcher leaf = LEAF.matcher(dts);
        while (leaf.find()) {
            String body = leaf.group(3);
            Matcher reg = REG.matcher(body);
            if (leaf.start() > reserved && leaf.start() < soc && reg.find()) {
                carveouts.add(new CarveoutFact(leaf.group(1), leaf.group(2), Long.decode(reg.group(1)),
                        Long.decode(reg.group(2)), body.contains("no-map;")));
            } else if (leaf.start() > soc) {
                Matcher region = REGION.matcher(body);
                processors.add(new ProcessorFact(leaf.group(2), quoted(body, "compatible"),
                        region.find() ? region.group(1) : null, quoted(body, "firmware-name").getFirst(),
                        !body.contains("status = \"disabled\"")));
            }
        }
        return new BoardFacts(carveouts, processors);
    }

    private static List<String> quoted(String body, String property) {
        Matcher m = Pattern.compile(String.format(STRINGS.pattern(), Pattern.quote(property))).matcher(body);
        if (!m.find()) {
            return List.of();
        }
        return Pattern.compile("\"([^\"]*)\"").matcher(m.group(1)).results().map(r -> r.group(1)).toList();
    }

    CarveoutFact carveout(String label) {
        return carveouts.stream().filter(c -> label.equals(c.label())).findFirst().orElseThrow();
    }
}
