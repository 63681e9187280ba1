package dev.mdtload.address;

import dev.mdtload.failure.UsageFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The DMA-to-physical translations the user has declared: windows of a device's IOVA space
 * mapped onto physical memory (an SMMU mapping), or identity windows, where the IOVA is the
 * physical address's number. Translation is explicit and fails for any address not wholly
 * inside one window.
 */
public final class IommuMap {
    /** {@code [iova(), iova() + size())} of {@code device()} is {@code [phys(), phys() + size())}. */
    public sealed interface Window {
        Device device();

        /** The window's first IOVA: a number of the device's address space, never a {@link PhysAddr}. */
        long iova();

        PhysAddr phys();

        long size();

        /** A window that maps {@code size} bytes from {@code base} onto the same numbers. */
        static Identity identity(Device device, long base, long size) {
            return new Identity(device, PhysAddr.of(base), size);
        }

        /**
         * {@code DEVICE:IOVA=PHYS+SIZE}, or {@code DEVICE:identity=BASE+SIZE} for a device that sees
         * physical numbers: {@code load --iommu-map} and a manifest's {@code iommu_map} alike.
         *
         * @throws IllegalArgumentException not that form, a bad number or device name, or an empty or wrapping window
         */
        static Window parse(String text) {
            int colon = text.indexOf(':');
            int eq = text.indexOf('=', colon + 1);
            int plus = text.indexOf('+', eq + 1);
            if (colon <= 0 || eq < 0 || plus < 0) {
                throw new IllegalArgumentException("'" + text + "' is not DEVICE:IOVA=PHYS+SIZE or DEVICE:identity=BASE+SIZE");
            }
            Device device = new Device(text.substring(0, colon));
            String iova = text.substring(colon + 1, eq);
            long phys = NumberText.parse(text.substring(eq + 1, plus));
            long size = NumberText.parse(text.substring(plus + 1));
            return iova.equalsIgnoreCase("identity") ? identity(device, phys, size)
                    : new Translated(device, NumberText.parse(iova), PhysAddr.of(phys), size);
        }
    }

    /** An SMMU mapping: the device's {@code iova} is physical {@code phys}. */
    public record Translated(Device device, long iova, PhysAddr phys, long size) implements Window {
        public Translated {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(phys, "phys");
            requireRange(iova, phys, size);
        }
    }

    /**
     * An identity mapping: the device sees {@code [base, base + size)} at the same numbers. A
     * device without an IOMMU sees memory this way; so does a remote processor whose IOMMU Linux
     * programs itself at EL2 (kernel "remoteproc: qcom: pas: Enable Secure PAS support with IOMMU
     * managed by Linux": qcom_q6v5_pas.c maps the carveout with iova = its physical address).
     * The numbers are equal; the kinds are not.
     */
    public record Identity(Device device, PhysAddr base, long size) implements Window {
        public Identity {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(base, "base");
            requireRange(base.value(), base, size);
        }

        @Override
        public long iova() {
            return base.value();
        }

        @Override
        public PhysAddr phys() {
            return base;
        }

        /**
         * Where the device sees {@code [addr, addr + length)}: the same number, as this window's
         * device's DMA address.
         *
         * @throws UsageFailure the range is not wholly inside this window
         */
        public DmaAddr dmaAddr(PhysAddr addr, long length) throws UsageFailure {
            long offset = addr.value() - base.value();
            if (addr.compareTo(base) < 0 || length < 0 || length > size - offset) {
                throw new UsageFailure(String.format("%s (+0x%x) is outside the identity window %s:identity=0x%x+0x%x",
                        addr, length, device, base.value(), size));
            }
            return new DmaAddr(device, addr.value());
        }
    }

    private static void requireRange(long iova, PhysAddr phys, long size) {
        if (iova < 0 || size <= 0 || iova > Long.MAX_VALUE - size || phys.value() > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException(String.format(
                    "IOMMU window 0x%x+0x%x -> 0x%x is empty or wraps", iova, size, phys.value()));
        }
    }

    private static boolean covers(Window w, DmaAddr addr, long length) {
        return addr.device().equals(w.device()) && addr.iova() >= w.iova() && length >= 0
                && length <= w.size() - (addr.iova() - w.iova());
    }

    private final List<Window> windows;

    public IommuMap(List<? extends Window> windows) {
        this.windows = List.copyOf(windows);
        for (int i = 0; i < this.windows.size(); i++) {
            for (int j = i + 1; j < this.windows.size(); j++) {
                Window a = this.windows.get(i);
                Window b = this.windows.get(j);
                if (a.device().equals(b.device()) && a.iova() < b.iova() + b.size() && b.iova() < a.iova() + a.size()) {
                    throw new IllegalArgumentException("IOMMU windows of " + a.device() + " overlap: 0x"
                            + Long.toHexString(a.iova()) + " and 0x" + Long.toHexString(b.iova()));
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
     * The identity window that holds all of {@code [addr, addr + size)}, if one was declared.
     *
     * @throws UsageFailure none does (a translated window over the range is not one: the EL2 path
     *                      maps the carveout 1:1, as the kernel does)
     */
    public Identity identityOver(PhysAddr addr, long size) throws UsageFailure {
        return identityHolding(addr, size).orElseThrow(() -> new UsageFailure(String.format("no identity window holds "
                + "%s (+0x%x); declare the remote processor's with --iommu-map DEVICE:identity=0x%x+0x%x", addr, size,
                addr.value(), size)));
    }

    /** The identity window that holds all of {@code [addr, addr + size)}; none when no declared one does. */
    public Optional<Identity> identityHolding(PhysAddr addr, long size) {
        for (Window w : windows) {
            if (w instanceof Identity identity && addr.compareTo(identity.base()) >= 0
                    && size <= identity.size() - (addr.value() - identity.base().value())) {
                return Optional.of(identity);
            }
        }
        return Optional.empty();
    }

    /**
     * The physical address behind {@code [addr, addr + length)} as {@code addr}'s device sees it.
     *
     * @throws UsageFailure no declared window of that device covers the whole range
     */
    public PhysAddr translate(DmaAddr addr, long length) throws UsageFailure {
        for (Window w : windows) {
            if (covers(w, addr, length)) {
                return w.phys().plus(addr.iova() - w.iova());
            }
        }
        throw new UsageFailure(String.format(
                "%s (+0x%x) has no declared IOMMU translation; a DMA address is not a physical address "
                        + "(declare one with --iommu-map %s:IOVA=PHYS+SIZE)", addr, length, addr.device()));
    }
}
