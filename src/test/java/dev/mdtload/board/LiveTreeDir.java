package dev.mdtload.board;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a live-tree directory for tests as the kernel lays one out: a directory per node, a file per property. */
record LiveTreeDir(Path base) {
    LiveTreeDir node(String path) {
        try {
            Files.createDirectories(at(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    LiveTreeDir prop(String path, byte[] value) {
        try {
            Files.createDirectories(at(path).getParent());
            Files.write(at(path), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    LiveTreeDir string(String path, String value) {
        return prop(path, (value + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    LiveTreeDir cells(String path, long... cells) {
        ByteBuffer b = ByteBuffer.allocate(4 * cells.length);
        for (long c : cells) {
            b.putInt((int) c);
        }
        return prop(path, b.array());
    }

    Path at(String path) {
        return base.resolve(path.replaceFirst("^/", ""));
    }
}
