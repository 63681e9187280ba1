package dev.mdtload.board;

import dev.mdtload.address.PhysAddr;

/** Two carveouts that share {@code [start, end)}: firmware loaded into one would overwrite the other. */
public record Overlap(String first, String second, PhysAddr start, PhysAddr end) {}
