package dev.mdtload.doctor;

import dev.mdtload.rproc.FirmwareName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SearchPathTest {
    @Test
    void directories_followTheKernelsFwPathOrder(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-37-arm64\n");
        Files.createDirectories(root.resolve("sys/module/firmware_class/parameters"));
        Files.writeString(root.resolve("sys/module/firmware_class/parameters/path"), "/opt/fw\n");
        SearchPath path = SearchPath.of(root);
        // fw_path[]: fw_path_para, updates/UTS_RELEASE, updates, UTS_RELEASE, /lib/firmware
        assertEquals(List.of(root.resolve("opt/fw"), root.resolve("lib/firmware/updates/6.1.0-37-arm64"),
                root.resolve("lib/firmware/updates"), root.resolve("lib/firmware/6.1.0-37-arm64"),
                root.resolve("lib/firmware")), path.directories());
        assertEquals("6.1.0-37-arm64", path.release());
    }

    @Test
    void withoutTheBoardsRelease_theVersionedDirectoriesAreNotSearched(@TempDir Path root) throws IOException {
        assertEquals(List.of(root.resolve("lib/firmware/updates"), root.resolve("lib/firmware")),
                SearchPath.of(root).directories());
    }

    @Test
    void find_takesTheFirstDirectoryWithARegularFile(@TempDir Path root) throws Exception {
        Path updates = root.resolve("lib/firmware/updates");
        Path lib = root.resolve("lib/firmware");
        Files.createDirectories(updates.resolve("qcom/adsp.mbn"));   // a directory by that name is no firmware
        Files.createDirectories(lib.resolve("qcom"));
        Files.writeString(lib.resolve("qcom/adsp.mbn"), "x");
        SearchPath path = SearchPath.of(root);
        assertEquals(Optional.of(lib.resolve("qcom/adsp.mbn")), path.find(FirmwareName.of("qcom/adsp.mbn")));
        Files.createDirectories(updates.resolve("qcom2"));
        Files.writeString(updates.resolve("qcom2/adsp.mbn"), "y");
        Files.createDirectories(lib.resolve("qcom2"));
        Files.writeString(lib.resolve("qcom2/adsp.mbn"), "z");
        assertEquals(Optional.of(updates.resolve("qcom2/adsp.mbn")), path.find(FirmwareName.of("qcom2/adsp.mbn")));
        assertEquals(Optional.empty(), path.find(FirmwareName.of("qcom/absent.mbn")));
    }
}
