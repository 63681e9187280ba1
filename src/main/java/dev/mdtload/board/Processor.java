package dev.mdtload.board;

import java.util.List;
import java.util.Objects;

/**
 * A remote processor as the device tree describes it: a PAS node ({@code qcom,*-pas}) or any node
 * with a {@code memory-region}.
 *
 * @param name          the node name with its unit address ({@code remoteproc@8a00000})
 * @param path          the node's full path
 * @param compatible    its {@code compatible} strings, most specific first
 * @param firmwareNames its {@code firmware-name} strings (paths relative to the firmware search path)
 * @param memoryRegions names of the {@code /reserved-memory} nodes its {@code memory-region} points to, in order
 * @param enabled       its {@code status} is absent or "okay"
 */
public record Processor(String name, String path, List<String> compatible, List<String> firmwareNames,
                        List<String> memoryRegions, boolean enabled) {
    public Processor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        compatible = List.copyOf(compatible);
        firmwareNames = List.copyOf(firmwareNames);
        memoryRegions = List.copyOf(memoryRegions);
    }

    /** Driven by the kernel's PAS driver (qcom_q6v5_pas.c): a {@code qcom,*-pas} compatible. */
    public boolean pas() {
        return compatible.stream().anyMatch(Processor::isPas);
    }

    static boolean isPas(String compatible) {
        return compatible.startsWith("qcom,") && compatible.endsWith("-pas");
    }
}
