package xiio.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-off between the worker that opened a file and the coroutine that asked for
 * it: a cancelled asker's file is closed whether the worker delivers before or after
 * the cancellation. (No lookup step blocks long enough to cancel one in flight from a
 * real request, so this is checked here, on real files.)
 */
class FileLookupHandoffTest {
    private static FileLookup.OpenFile open(Path p) throws Exception {
        return new FileLookup.OpenFile(FileChannel.open(p), null, p, Files.readAttributes(p, BasicFileAttributes.class), p.toString(), null);
    }

    @Test
    void whicheverComesSecondClosesTheFileOfACancelledAsker() throws Exception {
        Path dir = Files.createTempDirectory("xiio-handoff");
        Path p = Files.writeString(dir.resolve("f.txt"), "x");
        try {
            FileLookup.OpenFile late = open(p);
            FileLookup.Handoff cancelledFirst = new FileLookup.Handoff();
            cancelledFirst.abandon();
            cancelledFirst.deliver(late);
            assertFalse(late.channel().isOpen(), "delivered after the asker was gone");

            FileLookup.OpenFile early = open(p);
            FileLookup.Handoff deliveredFirst = new FileLookup.Handoff();
            deliveredFirst.deliver(early);
            assertTrue(early.channel().isOpen());
            deliveredFirst.abandon();
            assertFalse(early.channel().isOpen(), "abandoned after delivery");

            FileLookup.OpenFile kept = open(p);
            new FileLookup.Handoff().deliver(kept);
            assertTrue(kept.channel().isOpen(), "an asker that was not cancelled owns the file");
            kept.channel().close();

            new FileLookup.Handoff().abandon(); // nothing delivered, nothing to close
            FileLookup.Handoff inMemory = new FileLookup.Handoff();
            inMemory.deliver(new FileLookup.OpenFile(null, new byte[1], kept.path(), kept.attributes(), "f.txt", null));
            inMemory.abandon(); // a small file read whole has no channel
            assertEquals(List.of(), StaticFilesFixture.openFilesUnder(dir));
        } finally {
            Files.delete(p);
            Files.delete(dir);
        }
    }
}
