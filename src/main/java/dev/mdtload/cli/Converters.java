package dev.mdtload.cli;

import dev.mdtload.address.Device;
import dev.mdtload.address.DmaAddr;
import dev.mdtload.address.IommuMap;
import dev.mdtload.address.NumberText;
import dev.mdtload.address.PhysAddr;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/**
 * Command-line numbers and addresses: decimal or 0x hex, sizes optionally with K/M/G (binary).
 * Each address kind has its own converter, so an option declares which kind it takes.
 */
final class Converters {
    private Converters() {}

    static long parseNumber(String text) {
        try {
            return NumberText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseNumber(value);
        }
    }

    static final class Int implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long v = parseNumber(value);
            if (v > Integer.MAX_VALUE) {
                throw new TypeConversionException("'" + value + "' does not fit 32 bits");
            }
            return (int) v;
        }
    }

    /** A duration longer than 0, in seconds ({@code 10}, {@code 2.5}, {@code 10s}) or milliseconds ({@code 500ms}). */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String t = value.strip().toLowerCase(Locale.ROOT);
            boolean millis = t.endsWith("ms");
            String number = millis ? t.substring(0, t.length() - 2) : t.endsWith("s") ? t.substring(0, t.length() - 1) : t;
            try {
                BigDecimal amount = new BigDecimal(number.strip());
                // a wait of no time could only ever time out
                if (amount.signum() <= 0) {
                    throw new TypeConversionException("'" + value + "' is not longer than 0");
                }
                return Duration.ofMillis(millis ? amount.longValueExact()
                        : amount.movePointRight(3).setScale(0, RoundingMode.UP).longValueExact());
            } catch (NumberFormatException | ArithmeticException e) {
                throw new TypeConversionException("'" + value + "' is not a duration (seconds like 10 or 2.5, or 500ms)");
            }
        }
    }

    static final class Phys implements ITypeConverter<PhysAddr> {
        @Override
        public PhysAddr convert(String value) {
            return PhysAddr.of(parseNumber(value));
        }
    }

    /** {@code DEVICE:IOVA}: an address as that device sees it. */
    static final class Dma implements ITypeConverter<DmaAddr> {
        @Override
        public DmaAddr convert(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0) {
                throw new TypeConversionException("'" + value + "' is not DEVICE:IOVA (a DMA address names its device)");
            }
            return new DmaAddr(device(value.substring(0, colon)), parseNumber(value.substring(colon + 1)));
        }
    }

    /** {@code DEVICE:IOVA=PHYS+SIZE}, or {@code DEVICE:identity=BASE+SIZE} for a device without an IOMMU. */
    static final class Window implements ITypeConverter<IommuMap.Window> {
        @Override
        public IommuMap.Window convert(String value) {
            try {
                return IommuMap.Window.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    private static Device device(String name) {
        try {
            return new Device(name);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
