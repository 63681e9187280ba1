package dev.mdtload.cli;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageFinderTest {

    private static Set<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }

    @Test
    void find_searchesTheRealFirmwareRecursivelyAndCountsVenusOnce(@TempDir Path dir) throws Exception {
        List<Path> found = ImageFinder.find(List.of(RealImage.firmwareTree(dir))).images();
        assertEquals(6, found.size(), found::toString);
        assertEquals(Set.of("m3_fw.mdt", "q6_fw.mdt", "wpss.mdt", "venus.mbn", "a650_zap.mbn", "mba.mbn"), names(found));
    }

    @Test
    void find_countsARealSymlinkAndItsTargetOnceUnderTheTargetsName(@TempDir Path dir) throws Exception {
        RealImage.VENUS.copyTo(dir);
        Files.createSymbolicLink(dir.resolve("venus.mdt"), Path.of("venus.mbn"));
        assertEquals(List.of(dir.resolve("venus.mbn")), ImageFinder.find(List.of(dir)).images());
        // named on its own, the link is the image the user asked for
        assertEquals(List.of(dir.resolve("venus.mdt")), ImageFinder.find(List.of(dir.resolve("venus.mdt"))).images());
    }

    @Test
    void find_keepsExplicitFilesInOrderAndDropsRepeats() throws Exception {
        Path mba = RealImage.MBA.path();
        Path zap = RealImage.A650_ZAP.path();
        assertEquals(List.of(mba, zap), ImageFinder.find(List.of(mba, zap, mba)).images());
    }

    @Test
    void find_skipsDirectoriesAndOtherFilesInsideADirectory(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("looks.mdt"));
        Files.writeString(dir.resolve("notes.txt"), "x");
        Files.writeString(dir.resolve("UPPER.MBN"), "x");
        assertEquals(List.of(dir.resolve("UPPER.MBN")), ImageFinder.find(List.of(dir)).images());
    }

    @Test
    void find_reportsAMissingPath_andStillFindsTheOthers(@TempDir Path dir) throws Exception {
        ImageFinder.Found found = ImageFinder.find(List.of(RealImage.MBA.path(), dir.resolve("gone")));
        assertEquals(List.of(RealImage.MBA.path()), found.images());
        assertEquals(List.of(dir.resolve("gone") + ": no such file or directory"),
                found.missing().stream().map(Throwable::getMessage).toList());
    }

    @Test
    void find_worksOnJimfs() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            RealImage.M3_FW.copyTo(fs.getPath("/fw/ath11k"));
            RealImage.A650_ZAP.copyTo(fs.getPath("/fw/qcom"));
            assertEquals(Set.of("m3_fw.mdt", "a650_zap.mbn"), names(ImageFinder.find(List.of(fs.getPath("/fw"))).images()));
        }
    }

    @Test
    void bytesOnDisk_ofASplitImage_isItsMdtAndEveryPart_andOfAnMbnItsOwnSize() throws Exception {
        Path wpss = RealImage.WPSS.path();
        long expected;
        try (var files = Files.list(wpss.getParent())) {
            expected = files.filter(f -> f.getFileName().toString().matches("wpss\\.(mdt|b\\d\\d)"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
        assertEquals(expected, ImageFinder.bytesOnDisk(wpss));
        assertEquals(RealImage.VENUS.path().toFile().length(), ImageFinder.bytesOnDisk(RealImage.VENUS.path()));
        assertEquals(0, ImageFinder.bytesOnDisk(RealImage.VENUS.path().resolveSibling("absent.mbn")));
    }
}
