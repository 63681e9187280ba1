package dev.mdtload.board;

import dev.mdtload.carveout.ReservedMemory;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Resolves {@code reserved:NAME} against a board's carveouts. NAME is tried in three ways, most
 * exact first, and the first way that matches anything decides:
 * <ol>
 *   <li>the node name with its unit address ({@code wpss@9ae00000}) or the full path
 *       ({@code /reserved-memory/wpss@9ae00000});
 *   <li>the node name without its unit address ({@code wpss});
 *   <li>a prefix of that name ending at a {@code -} or {@code _} ({@code wpss} finds
 *       {@code wpss-mem@…} and {@code wpss_region@…}), since boards name carveouts after their user
 *       and labels ({@code wpss_mem:}) do not survive into the blob or the live tree.
 * </ol>
 * A way that matches more than one carveout is an {@link AmbiguousNameException}, never a guess.
 */
record BoardReservedMemory(Board board) implements ReservedMemory {
    @Override
    public Optional<Region> find(String name) throws AmbiguousNameException {
        if (name.isBlank()) {
            return Optional.empty();
        }
        List<Predicate<Carveout>> ways = List.of(
                c -> c.name().equals(name) || c.path().equals(name),
                c -> c.baseName().equals(name),
                c -> c.baseName().startsWith(name + "-") || c.baseName().startsWith(name + "_"));
        for (Predicate<Carveout> way : ways) {
            List<Carveout> matches = board.carveouts().stream().filter(way).toList();
            if (matches.size() > 1) {
                throw new AmbiguousNameException(name, matches.stream().map(Carveout::name).toList());
            }
            if (matches.size() == 1) {
                return Optional.of(matches.getFirst().region());
            }
        }
        return Optional.empty();
    }
}
