package dev.mdtload.image;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The files an opened image reads, the image file and its parts: each mapped, for the parser and
 * the loader, and each kept open, so that digests read its bytes with pread ({@link OpenFile#read})
 * rather than through the mapping. Opened by one thread; read by the hashing threads. Closing
 * closes every file and unmaps every mapping.
 */
final class OpenFiles implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final List<FileChannel> channels = new ArrayList<>();

    /**
     * Opens {@code file} and maps all of it; {@code name} is what messages call it (a part's name
     * beside the image, where {@code file} is the real path it resolves to).
     */
    OpenFile open(Path name, Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            OpenFile opened = new OpenFile(name, channel, MappedFile.map(channel, file, arena));
            channels.add(channel);
            return opened;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // a file opened only for reading loses nothing when its close fails
            }
        }
        arena.close();
    }
}
