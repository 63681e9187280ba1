package dev.mdtload.preflight;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a board's secure world holds in its fuses and compares an image against: the root
 * certificate's SHA-256 (the OEM public-key hash), the OEM, model and hardware ids, and the lowest
 * anti-rollback version it still accepts. A board is described by the facts known of it; a check
 * whose fact is not known is skipped, not guessed.
 */
public record BoardFacts(List<Fact> facts) {
    public static final BoardFacts NONE = new BoardFacts(List.of());
    private static final String QCOM = "qcom,";

    public BoardFacts {
        facts = List.copyOf(facts);
        for (int i = 0; i < facts.size(); i++) {
            for (int j = i + 1; j < facts.size(); j++) {
                if (facts.get(i).getClass() == facts.get(j).getClass()) {
                    throw new IllegalArgumentException(facts.get(i).field() + " is given twice");
                }
            }
        }
    }

    /**
     * One fuse value. OP-TEE reads the same set from the QFPROM (core/drivers/qcom/qfprom/
     * qfprom_secboot.c in OP-TEE/optee_os: qcom_secboot_get_root_of_trust, _get_device_ids,
     * _get_pil_rollback_version, _get_soc_hw_version).
     */
    public sealed interface Fact {
        /** The fact's name in a facts file, a manifest's {@code facts:} and messages. */
        String field();

        /** The OEM root certificate's SHA-256, 64 lowercase hex digits. */
        record Root(String sha256) implements Fact {
            public Root {
                sha256 = sha256.strip().toLowerCase(Locale.ROOT);
                if (sha256.length() != 64 || !sha256.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    throw new IllegalArgumentException("root_sha256 '" + sha256 + "' is not 64 hex digits");
                }
                HexFormat.of().parseHex(sha256);
            }

            @Override
            public String field() {
                return "root_sha256";
            }
        }

        /** An id the image may be bound to (its signed OEM_ID, MODEL_ID or HW_ID), as the board has it fused. */
        sealed interface Id extends Fact {
            long value();
        }

        record OemId(long value) implements Id {
            @Override
            public String field() {
                return "oem_id";
            }
        }

        record ModelId(long value) implements Id {
            @Override
            public String field() {
                return "model_id";
            }
        }

        record HwId(long value) implements Id {
            @Override
            public String field() {
                return "hw_id";
            }
        }

        /**
         * The SoC, as the kernel's compatibles name it ({@code x1e80100}): not a fuse the checks compare,
         * it says which SoC tables apply, such as the lite firmware its boot firmware leaves running
         * ({@link LiteFirmware}).
         */
        record Soc(String name) implements Fact {
            public Soc {
                name = name.strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-')) {
                    throw new IllegalArgumentException("soc '" + name + "' is not a SoC name such as x1e80100");
                }
            }

            @Override
            public String field() {
                return "soc";
            }
        }

        /** The PIL anti-rollback fuse: images whose version is below it are refused. */
        record Rollback(long minimum) implements Fact {
            @Override
            public String field() {
                return "rollback";
            }
        }
    }

    public <T extends Fact> Optional<T> get(Class<T> kind) {
        return facts.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    /** These facts, each replaced by {@code over}'s fact of the same kind where it has one. */
    public BoardFacts with(BoardFacts over) {
        List<Fact> merged = new ArrayList<>(over.facts);
        facts.stream().filter(f -> over.facts.stream().noneMatch(o -> o.getClass() == f.getClass())).forEach(merged::add);
        return new BoardFacts(merged);
    }

    /**
     * These facts, with the SoC that a device tree's root {@code compatible} names when they name
     * none: its last string, which Qualcomm's bindings make {@code qcom,SOC} ({@code qcom,x1e80100}
     * after the board's own). A SoC given in the facts wins, as a user's word over the machine's.
     */
    public BoardFacts withSocOf(List<String> rootCompatible) {
        if (get(Fact.Soc.class).isPresent() || rootCompatible.isEmpty() || !rootCompatible.getLast().startsWith(QCOM)) {
            return this;
        }
        Fact.Soc soc;
        try {
            soc = new Fact.Soc(rootCompatible.getLast().substring(QCOM.length()));
        } catch (IllegalArgumentException notASocName) {
            // a compatible no SoC table could match: the facts stay as they are, as without a tree
            return this;
        }
        List<Fact> with = new ArrayList<>(facts);
        with.add(soc);
        return new BoardFacts(with);
    }

    /** Whether any fuse the secure world compares an image against is known: the SoC alone is none. */
    public boolean knowsFuses() {
        return facts.stream().anyMatch(f -> !(f instanceof Fact.Soc));
    }
}
