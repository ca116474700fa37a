package xiio.misuse;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import xiio.file.AsyncFile;

/**
 * Misused files: what is not a regular file, what does not exist, options the JDK
 * refuses too, negative positions and sizes, closed files, and a file used against
 * the way it was opened. Each message names the path.
 */
class FileMisuseTest extends MisuseTable {
    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws Exception {
        Files.writeString(dir.resolve("existing"), "contents");
        Files.createDirectory(dir.resolve("subdir"));
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("existing"));
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0) throw new IllegalStateException("mkfifo failed");
    }

    @AfterEach
    void noFileLeftOpen() throws InterruptedException {
        List<String> open = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!(open = openUnderDir()).isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        if (!open.isEmpty()) throw new AssertionError("files left open: " + open);
    }

    private static List<String> openUnderDir() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(p -> {
                try {
                    return Files.readSymbolicLink(p).toString();
                } catch (IOException gone) {
                    return "";
                }
            }).filter(t -> t.startsWith(dir.toString())).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Row> rows() {
        byte[] buf = new byte[16];
        return Stream.of(
                inside("open a missing file", NoSuchFileException.class,
                        "missing: open(2) for read: ENOENT (No such file or directory)",
                        () -> AsyncFile.open(dir.resolve("missing"))),
                inside("CREATE_NEW of an existing file", FileAlreadyExistsException.class,
                        "existing: open(2) for write: EEXIST", () -> AsyncFile.open(at("existing"), WRITE, CREATE_NEW)),
                inside("open a directory for reading", FileSystemException.class,
                        "subdir: is a directory, not a regular file: AsyncFile reads and writes regular files only",
                        () -> AsyncFile.open(at("subdir"))),
                inside("open a directory for writing", FileSystemException.class,
                        "subdir: is a directory, not a regular file", () -> AsyncFile.open(at("subdir"), WRITE)),
                inside("open a FIFO for reading", FileSystemException.class,
                        "fifo: is a FIFO (named pipe), not a regular file: AsyncFile reads and writes regular files only"
                                + " (wrap a pipe, socket or tty opened with O_NONBLOCK in an FdStream)",
                        () -> AsyncFile.open(at("fifo"))),
                inside("open a FIFO without a reader for writing", FileSystemException.class,
                        "fifo: open(2) for write: ENXIO (No such device or address): a FIFO without a reader",
                        () -> AsyncFile.open(at("fifo"), WRITE)),
                inside("open /dev/null", FileSystemException.class, "/dev/null: is a character device, not a regular file",
                        () -> AsyncFile.open(Path.of("/dev/null"))),
                inside("open a symbolic link with NOFOLLOW_LINKS", FileSystemException.class,
                        "link: open(2) for read: ELOOP", () -> AsyncFile.open(at("link"), READ, java.nio.file.LinkOption.NOFOLLOW_LINKS)),
                inside("READ with APPEND", IllegalArgumentException.class, "READ + APPEND not allowed",
                        () -> AsyncFile.open(at("existing"), READ, APPEND)),
                inside("APPEND with TRUNCATE_EXISTING", IllegalArgumentException.class,
                        "APPEND + TRUNCATE_EXISTING not allowed", () -> AsyncFile.open(at("existing"), APPEND, TRUNCATE_EXISTING)),
                inside("DELETE_ON_CLOSE", UnsupportedOperationException.class,
                        "open option DELETE_ON_CLOSE is not supported by AsyncFile", () -> AsyncFile.open(at("existing"), DELETE_ON_CLOSE)),
                inside("an attribute other than permissions", UnsupportedOperationException.class,
                        "file attribute 'dos:hidden' is not supported by AsyncFile", () -> AsyncFile.open(at("new"),
                                Set.of(WRITE, CREATE_NEW), attribute("dos:hidden", true))),
                inside("read at a negative position", IllegalArgumentException.class,
                        "position must not be negative, got -1 (read " + at("existing") + ")",
                        () -> withExisting(f -> f.read(-1, buf, 0, 1))),
                inside("write at a negative position", IllegalArgumentException.class,
                        "position must not be negative, got -5 (write", () -> withWritable(f -> f.write(-5, buf, 0, 1))),
                inside("truncate to a negative size", IllegalArgumentException.class,
                        "size must not be negative, got -1 (truncating", () -> withWritable(f -> {
                            f.truncate(-1);
                            return null;
                        })),
                inside("read from a closed file", IOException.class, "cannot read " + at("existing") + ": the file is closed",
                        () -> {
                            AsyncFile f = AsyncFile.open(at("existing"));
                            f.close();
                            return f.read(0, buf, 0, 1);
                        }),
                inside("size of a closed file", IOException.class, "cannot size " + at("existing") + ": the file is closed",
                        () -> {
                            AsyncFile f = AsyncFile.open(at("existing"));
                            f.close();
                            return f.size();
                        }),
                inside("write to a file opened for reading", IOException.class,
                        "cannot write at a position to " + at("existing") + ": it was opened for read only",
                        () -> withExisting(f -> f.write(0, buf, 0, 1))),
                inside("read a file opened for writing", IOException.class,
                        "cannot read " + at("existing") + ": it was opened for write only",
                        () -> withWritable(f -> f.read(0, buf, 0, 1))),
                inside("positional write to a file opened with APPEND", IOException.class,
                        "it was opened with APPEND, where every write goes to the end; use append()", () -> {
                            try (AsyncFile f = AsyncFile.open(at("existing"), APPEND)) {
                                return f.write(0, buf, 0, 1);
                            }
                        }),
                inside("append to a file opened without APPEND", IOException.class,
                        "cannot append to " + at("existing") + ": it was not opened with APPEND", () -> withWritable(f -> {
                            f.append(buf, 0, 1);
                            return null;
                        })),
                inside("read past the array", IndexOutOfBoundsException.class, "out of bounds for length 16",
                        () -> withExisting(f -> f.read(0, buf, 10, 7))),
                inside("open with a closed pool", java.util.concurrent.RejectedExecutionException.class,
                        "thread pool 'closed-files' is closed", () -> {
                            xiio.thread.ThreadPool pool = new xiio.thread.ThreadPool("closed-files", 1);
                            pool.close();
                            return AsyncFile.open(at("existing"), Set.of(READ), pool);
                        }),
                inside("read through a pool closed after open", java.util.concurrent.RejectedExecutionException.class,
                        "thread pool 'closed-later' is closed", () -> {
                            xiio.thread.ThreadPool pool = new xiio.thread.ThreadPool("closed-later", 1);
                            try (AsyncFile f = AsyncFile.open(at("existing"), Set.of(READ), pool)) {
                                pool.close();
                                pool.awaitTermination(5000);
                                return f.size(); // the reference it took is released: the fd closes with the file
                            }
                        }),
                outside("open outside Xiio.run", IllegalStateException.class, "must be called inside Xiio.run(...)",
                        () -> AsyncFile.open(at("existing"))));
    }

    private static Path at(String name) {
        return dir.resolve(name);
    }

    @FunctionalInterface
    interface FileUse {
        Object use(AsyncFile f) throws Exception;
    }

    private static Object withExisting(FileUse use) throws Exception {
        try (AsyncFile f = AsyncFile.open(at("existing"))) {
            return use.use(f);
        }
    }

    private static Object withWritable(FileUse use) throws Exception {
        try (AsyncFile f = AsyncFile.open(at("existing"), WRITE)) {
            return use.use(f);
        }
    }

    private static FileAttribute<Object> attribute(String name, Object value) {
        return new FileAttribute<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Object value() {
                return value;
            }
        };
    }
}
