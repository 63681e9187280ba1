package dev.mdtload.image;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinkStubTest {

    @Test
    void follow_resolvesTheSharedVenusStubToTheMbnBesideIt() throws Exception {
        Path stub = RealImage.VENUS.path().resolveSibling("venus.mdt");
        assertEquals(RealImage.VENUS.path().toAbsolutePath().normalize(), LinkStub.follow(stub));
    }

    @Test
    void follow_returnsAnElfFileAsItIs() throws Exception {
        assertEquals(RealImage.A650_ZAP.path(), LinkStub.follow(RealImage.A650_ZAP.path()));
    }

    @Test
    void follow_followsAChainOfStubs(@TempDir Path dir) throws Exception {
        Path mbn = RealImage.A650_ZAP.copyTo(dir.resolve("sub"));
        Files.writeString(dir.resolve("b.mdt"), "sub/a650_zap.mbn\n");
        Files.writeString(dir.resolve("a.mdt"), "b.mdt");
        assertEquals(mbn.toAbsolutePath().normalize(), LinkStub.follow(dir.resolve("a.mdt")));
    }

    @Test
    void follow_leavesAShortFileNamingNothingToTheParser(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("x.mdt"), "absent.mbn");
        assertEquals(f, LinkStub.follow(f));
        Path self = Files.writeString(dir.resolve("self.mdt"), "self.mdt");
        assertEquals(self, LinkStub.follow(self));
    }

    @Test
    void follow_stopsOnALoopOfStubs(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.mdt"), "b.mdt");
        Files.writeString(dir.resolve("b.mdt"), "a.mdt");
        Path end = LinkStub.follow(dir.resolve("a.mdt"));
        assertEquals(dir.toAbsolutePath().normalize(), end.getParent());
    }

    @Test
    void follow_worksOnJimfs() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path mbn = RealImage.VENUS.copyTo(fs.getPath("/fw"));
            Files.writeString(fs.getPath("/fw/venus.mdt"), "venus.mbn");
            assertEquals(mbn, LinkStub.follow(fs.getPath("/fw/venus.mdt")));
        }
    }
}
