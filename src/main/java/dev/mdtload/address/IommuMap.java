package dev.mdtload.address;

import dev.mdtload.failure.UsageFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The DMA-to-physical translations the user has declared: windows of a device's IOVA space
 * mapped onto physical memory (an SMMU mapping), or an identity window for a device without an
 * IOMMU. Translation is explicit and fails for any address not wholly inside one window.
 */
public final class IommuMap {
    /** {@code [iova, iova + size)} of {@code device} is {@code [phys, phys + size)}. */
    public record Window(Device device, long iova, PhysAddr phys, long size) {
        public Window {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(phys, "phys");
            if (iova < 0 || size <= 0 || iova > Long.MAX_VALUE - size || phys.value() > Long.MAX_VALUE - size) {
                throw new IllegalArgumentException(String.format(
                        "IOMMU window 0x%x+0x%x -> 0x%x is empty or wraps", iova, size, phys.value()));
            }
        }

        public static Window identity(Device device, long base, long size) {
            return new Window(device, base, PhysAddr.of(base), size);
        }

        boolean covers(DmaAddr addr, long length) {
            return addr.device().equals(device) && addr.iova() >= iova && length >= 0
                    && length <= size - (addr.iova() - iova);
        }
    }

    private final List<Window> windows;

    public IommuMap(List<Window> windows) {
        this.windows = List.copyOf(windows);
        for (int i = 0; i < this.windows.size(); i++) {
            for (int j = i + 1; j < this.windows.size(); j++) {
                Window a = this.windows.get(i);
                Window b = this.windows.get(j);
                if (a.device.equals(b.device) && a.iova < b.iova + b.size && b.iova < a.iova + a.size) {
                    throw new IllegalArgumentException("IOMMU windows of " + a.device + " overlap: 0x"
                            + Long.toHexString(a.iova) + " and 0x" + Long.toHexString(b.iova));
                }
            }
        }
    }

    public static IommuMap empty() {
        return new IommuMap(List.of());
    }

    public IommuMap with(Window window) {
        List<Window> more = new ArrayList<>(windows);
        more.add(window);
        return new IommuMap(more);
    }

    public List<Window> windows() {
        return windows;
    }

    /**
     * The physical address behind {@code [addr, addr + length)} as {@code addr}'s device sees it.
     *
     * @throws UsageFailure no declared window of that device covers the whole range
     */
    public PhysAddr translate(DmaAddr addr, long length) throws UsageFailure {
        for (Window w : windows) {
            if (w.covers(addr, length)) {
                return w.phys.plus(addr.iova() - w.iova);
            }
        }
        throw new UsageFailure(String.format(
                "%s (+0x%x) has no declared IOMMU translation; a DMA address is not a physical address "
                        + "(declare one with --iommu-map %s:IOVA=PHYS+SIZE)", addr, length, addr.device()));
    }
}
