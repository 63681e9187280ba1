package dev.mdtload.samples;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One image of the catalogue.
 *
 * @param image       where it goes, relative to the samples directory, '/'-separated
 * @param rule        the rule it breaks (an error) or carries (a warning); null for a plain valid image
 * @param description one line for the README: what the image is, or what was broken
 * @param writer      writes the image (and its parts or companions) at the given absolute path
 */
record Sample(String image, Rule rule, String description, Writer writer) {

    @FunctionalInterface
    interface Writer {
        void write(Path image) throws IOException, InvalidImageException;
    }
}
