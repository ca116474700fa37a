package xiio.file;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.support.Payload;

/** What an AsyncFile reads and writes, checked against java.nio.file.Files as the oracle. */
class AsyncFileTest {
    @TempDir
    Path dir;

    @AfterEach
    void noFileLeftOpen() throws InterruptedException {
        FileFds.assertNoneOpenUnder(dir);
    }

    @Test
    void whatIsWrittenIsWhatFilesReadsAndWhatIsReadIsWhatFilesWrote() throws Exception {
        Path written = dir.resolve("written");
        Path oracle = dir.resolve("oracle");
        byte[] data = Payload.of(1, 100_003);
        Files.write(oracle, data);
        byte[] got = Xiio.run(() -> {
            try (AsyncFile out = AsyncFile.open(written, WRITE, CREATE_NEW)) {
                out.writeAll(0, data, 0, data.length);
            }
            try (AsyncFile in = AsyncFile.open(oracle)) {
                byte[] buf = new byte[data.length];
                assertEquals(data.length, in.readNBytes(0, buf, 0, buf.length));
                return buf;
            }
        });
        assertArrayEquals(data, Files.readAllBytes(written));
        assertArrayEquals(data, got);
    }

    @Test
    void readsNearAndPastTheEndReturnWhatThereIsThenMinusOne() throws Exception {
        Path file = dir.resolve("ten-thousand");
        byte[] data = Payload.of(2, 10_000);
        Files.write(file, data);
        List<Integer> got = Xiio.run(() -> {
            try (AsyncFile in = AsyncFile.open(file, READ)) {
                byte[] buf = new byte[2000];
                int tail = in.read(9990, buf, 0, 100);
                assertArrayEquals(Arrays.copyOfRange(data, 9990, 10_000), Arrays.copyOf(buf, 10));
                return List.of(tail, in.read(10_000, buf, 0, 100), in.read(1L << 40, buf, 0, 100),
                        in.readNBytes(9000, buf, 0, 2000), in.readNBytes(10_000, buf, 0, 2000), in.read(0, buf, 5, 0));
            }
        });
        assertEquals(List.of(10, -1, -1, 1000, 0, 0), got);
    }

    @Test
    void aWritePastTheEndLeavesAHoleOfZerosAndTruncateSetsTheSize() throws Exception {
        Path file = dir.resolve("holes");
        long[] sizes = Xiio.run(() -> {
            try (AsyncFile f = AsyncFile.open(file, READ, WRITE, CREATE)) {
                f.writeAll(5000, "end".getBytes(), 0, 3);
                long afterWrite = f.size();
                f.truncate(100);
                long afterShrink = f.size();
                f.truncate(200); // ftruncate grows, with zeros
                f.force(true);
                f.force(false);
                return new long[] {afterWrite, afterShrink, f.size()};
            }
        });
        assertArrayEquals(new long[] {5003, 100, 200}, sizes);
        assertArrayEquals(new byte[200], Files.readAllBytes(file));
    }

    @Test
    void appendsGoToTheEndAlsoAfterAnotherWriterGrewTheFile() throws Exception {
        Path file = dir.resolve("log");
        Files.writeString(file, "first\n");
        Xiio.run(() -> {
            try (AsyncFile log = AsyncFile.open(file, APPEND)) {
                log.append("second\n".getBytes(), 0, 7);
                Files.writeString(file, "other\n", APPEND); // another writer, between our appends
                log.append("third\n".getBytes(), 0, 6);
                FileStream s = log.stream();
                s.write("fourth\n".getBytes(), 0, 7);
            }
            return null;
        });
        assertEquals("first\nsecond\nother\nthird\nfourth\n", Files.readString(file));
    }

    @Test
    void truncateExistingEmptiesTheFileAndPermissionsApplyToANewOne() throws Exception {
        Path old = dir.resolve("old");
        Files.writeString(old, "stale contents");
        Path secret = dir.resolve("secret");
        Xiio.run(() -> {
            try (AsyncFile f = AsyncFile.open(old, WRITE, TRUNCATE_EXISTING)) {
                f.writeAll(0, "new".getBytes(), 0, 3);
            }
            try (AsyncFile f = AsyncFile.open(secret, Set.of(WRITE, CREATE_NEW),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                f.writeAll(0, "x".getBytes(), 0, 1);
            }
            return null;
        });
        assertEquals("new", Files.readString(old));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    }

    @ParameterizedTest(name = "page cache {0}")
    @ValueSource(strings = {"used", "cold"})
    void sixtyFourMegabytesWrittenInPiecesAndStreamedBackHaveTheSameChecksum(String cache) throws Exception {
        try (ColdCache cold = cache.equals("cold") ? new ColdCache() : null) {
            sixtyFourMegabytes();
        }
    }

    private void sixtyFourMegabytes() throws Exception {
        Path file = dir.resolve("big");
        int piece = 3 * AsyncFile.MAX_TRANSFER + 12_345; // not a multiple of a transfer: short tails in every write
        long total = 64L << 20;
        long[] crcs = Xiio.run(() -> {
            CRC32 written = new CRC32();
            try (AsyncFile out = AsyncFile.open(file, WRITE, CREATE_NEW)) {
                for (long at = 0; at < total; at += piece) {
                    int n = (int) Math.min(piece, total - at);
                    byte[] data = Payload.of((int) (at / piece), n);
                    out.writeAll(at, data, 0, n);
                    written.update(data, 0, n);
                }
                out.force(false);
            }
            CRC32 read = new CRC32();
            long count = 0;
            try (AsyncFile in = AsyncFile.open(file); FileStream s = in.stream()) {
                byte[] buf = new byte[256 * 1024 + 7];
                for (int n; (n = s.read(buf, 0, buf.length)) > 0; ) {
                    read.update(buf, 0, n);
                    count += n;
                }
                assertEquals(total, s.position());
            }
            return new long[] {written.getValue(), read.getValue(), count};
        });
        CRC32 oracle = new CRC32();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) oracle.update(buf, 0, n);
        }
        assertEquals(total, Files.size(file));
        assertEquals(total, crcs[2]);
        assertEquals(oracle.getValue(), crcs[0], "what was written is what is on disk");
        assertEquals(oracle.getValue(), crcs[1], "what was read back is what is on disk");
    }

    @ParameterizedTest(name = "page cache {0}")
    @ValueSource(strings = {"used", "cold"})
    void sixtyFourCoroutinesReadOneFileAtRandomOffsetsAtOnce(String cache) throws Exception {
        try (ColdCache cold = cache.equals("cold") ? new ColdCache() : null) {
            sixtyFourReaders();
        }
    }

    private void sixtyFourReaders() throws Exception {
        Path file = dir.resolve("shared");
        byte[] data = Payload.of(7, 4 << 20);
        Files.write(file, data);
        int[] checked = Xiio.run(() -> {
            int[] count = new int[1];
            try (AsyncFile in = AsyncFile.open(file)) {
                TaskGroup.scope(g -> {
                    for (int t = 0; t < 64; t++) {
                        Random random = new Random(t);
                        g.spawn(() -> {
                            byte[] buf = new byte[4096];
                            for (int i = 0; i < 20; i++) {
                                long at = random.nextInt(data.length - buf.length);
                                assertEquals(buf.length, in.readNBytes(at, buf, 0, buf.length));
                                assertArrayEquals(Arrays.copyOfRange(data, (int) at, (int) at + buf.length), buf,
                                        "4 KB at " + at);
                                count[0]++;
                            }
                            return null;
                        });
                    }
                    return null;
                });
            }
            return count;
        });
        assertEquals(64 * 20, checked[0]);
    }

    @ParameterizedTest(name = "page cache {0}")
    @ValueSource(strings = {"used", "cold"})
    void sixtyFourCoroutinesWriteTheirOwnBlocksOfOneFileAtOnce(String cache) throws Exception {
        Path file = dir.resolve("blocks");
        int blocks = 64 * 16, block = 4096;
        try (ColdCache cold = cache.equals("cold") ? new ColdCache() : null) {
            Xiio.run(() -> {
                try (AsyncFile out = AsyncFile.open(file, WRITE, CREATE_NEW)) {
                    TaskGroup.scope(g -> {
                        for (int t = 0; t < 64; t++) {
                            int task = t;
                            g.spawn(() -> {
                                // task t writes blocks t, t+64, t+128, ...: interleaved with every other task's
                                for (int b = task; b < blocks; b += 64) out.writeAll((long) b * block, Payload.of(b, block), 0, block);
                                return null;
                            });
                        }
                        return null;
                    });
                }
                return null;
            });
        }
        byte[] onDisk = Files.readAllBytes(file);
        assertEquals((long) blocks * block, onDisk.length);
        for (int b = 0; b < blocks; b++) {
            assertArrayEquals(Payload.of(b, block), Arrays.copyOfRange(onDisk, b * block, (b + 1) * block), "block " + b);
        }
    }

    @Test
    void oneReadOrWriteMovesAtMostMaxTransferAndTheLoopingCallsMoveEverything() throws Exception {
        Path file = dir.resolve("max-transfer");
        byte[] data = Payload.of(10, 3 * AsyncFile.MAX_TRANSFER + 5);
        List<Integer> got = Xiio.run(() -> {
            try (AsyncFile f = AsyncFile.open(file, READ, WRITE, CREATE_NEW)) {
                int wrote = f.write(0, data, 0, data.length);
                f.writeAll(wrote, data, wrote, data.length - wrote);
                byte[] back = new byte[data.length];
                int read = f.read(0, back, 0, back.length);
                int rest = f.readNBytes(read, back, read, back.length - read);
                assertArrayEquals(data, back);
                return List.of(wrote, read, read + rest);
            }
        });
        assertEquals(List.of(AsyncFile.MAX_TRANSFER, AsyncFile.MAX_TRANSFER, data.length), got);
    }

    @Test
    void theStreamViewServesAStreamReaderAndKeepsItsOwnPosition() throws Exception {
        Path file = dir.resolve("lines");
        Files.writeString(file, "alpha\nbeta\ngamma\n");
        List<Object> got = Xiio.run(() -> {
            try (AsyncFile f = AsyncFile.open(file, READ, WRITE)) {
                FileStream from5 = f.stream(6);
                StreamReader lines = new StreamReader(f.stream());
                String first = lines.readLine(100);
                byte[] four = new byte[4];
                from5.read(four, 0, 4);
                FileStream writer = f.stream(17);
                writer.write("delta\n".getBytes(), 0, 6);
                writer.shutdownOutput();
                return List.of(first, new String(four, StandardCharsets.US_ASCII), lines.readLine(100),
                        lines.readLine(100), lines.readLine(100), writer.position());
            }
        });
        assertEquals(List.of("alpha", "beta", "beta", "gamma", "delta", 23L), got);
    }

    @Test
    void syncAndDsyncOpensWriteThroughAndASymbolicLinkIsFollowedByDefault() throws Exception {
        Path file = dir.resolve("synced");
        Path link = dir.resolve("synced-link");
        Files.createSymbolicLink(link, file);
        Xiio.run(() -> {
            try (AsyncFile f = AsyncFile.open(file, WRITE, CREATE_NEW, java.nio.file.StandardOpenOption.SYNC)) {
                f.writeAll(0, "sync ".getBytes(), 0, 5);
            }
            try (AsyncFile f = AsyncFile.open(link, WRITE, java.nio.file.StandardOpenOption.DSYNC)) {
                f.writeAll(5, "dsync".getBytes(), 0, 5);
            }
            return null;
        });
        assertEquals("sync dsync", Files.readString(file));
    }

    @Test
    void readAllBytesAndWriteWorkAsFilesDoes() throws Exception {
        Path big = dir.resolve("all");
        byte[] data = Payload.of(12, 3 * AsyncFile.MAX_TRANSFER + 17);
        Path empty = dir.resolve("empty");
        Path log = dir.resolve("log2");
        List<Object> got = Xiio.run(() -> {
            AsyncFile.write(big, data);
            AsyncFile.write(big, data); // truncates and writes again
            AsyncFile.write(empty, new byte[0]);
            AsyncFile.write(log, "a".getBytes(), java.nio.file.StandardOpenOption.CREATE, APPEND);
            AsyncFile.write(log, "b".getBytes(), APPEND);
            java.nio.file.FileAlreadyExistsException exists = org.junit.jupiter.api.Assertions.assertThrows(
                    java.nio.file.FileAlreadyExistsException.class, () -> AsyncFile.write(log, new byte[1], CREATE_NEW));
            return List.of(Arrays.equals(data, AsyncFile.readAllBytes(big)), AsyncFile.readAllBytes(empty).length,
                    new String(AsyncFile.readAllBytes(log)), exists.getFile());
        });
        assertEquals(List.of(true, 0, "ab", log.toString()), got);
        assertArrayEquals(data, Files.readAllBytes(big));
    }

    @Test
    void closingIsIdempotentAndReportedByIsOpen() throws Exception {
        Path file = dir.resolve("closing");
        Files.writeString(file, "x");
        boolean[] states = Xiio.run(() -> {
            AsyncFile f = AsyncFile.open(file);
            boolean before = f.isOpen();
            f.close();
            f.close();
            return new boolean[] {before, f.isOpen(), f.fdClosed()};
        });
        assertTrue(states[0]);
        assertFalse(states[1]);
        assertTrue(states[2]);
    }
}
