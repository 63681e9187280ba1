package dev.mdtload.samples;

/** One file in the samples directory that is not what the generator writes. */
public record Difference(String path, String problem) {
    public String line() {
        return path + ": " + problem;
    }
}
