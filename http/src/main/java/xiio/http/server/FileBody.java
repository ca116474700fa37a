package xiio.http.server;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import xiio.thread.ThreadPool;

/**
 * A response body read from an open file in bounded pieces: the whole file, one range,
 * or several ranges as {@code multipart/byteranges} (RFC 9110 section 14.6). Memory
 * is one buffer of at most 64 KiB, whatever the file's size; each piece is written
 * before the next is read, so a slow client slows the reading down (the writer waits
 * once 64 KiB are pending) instead of filling memory. The file is also mapped, for
 * {@code readAt}'s page-cache check; a mapping costs address space, not memory.
 *
 * <p>Over plain TCP, a whole file or one range is not read here at all: the kernel
 * sends it from the page cache ({@link ZeroCopySend}, sendfile(2)). TLS must encrypt
 * in user space, and a multipart body interleaves heads, so those keep the copy.
 *
 * <p>The length is known before the first byte (it goes in {@code Content-Length});
 * a file that shrinks while it is sent cannot keep that promise and fails the body,
 * which closes the connection; one that grows is sent as long as it was.
 */
final class FileBody implements Response.Body {
    static final int PIECE = 64 * 1024;
    private static final SecureRandom BOUNDARIES = new SecureRandom();
    /** Pieces read on a worker because they were not in the page cache, in this JVM: what the tests watch. */
    static final LongAdder PIECES_FROM_WORKERS = new LongAdder();

    /** A region of the file, with the bytes that go before it (a part's head; empty for a plain body). */
    private record Part(byte[] head, long first, long length) {}

    private final FileChannel file;
    private final Path path;
    private final ThreadPool pool;
    private final List<Part> parts;
    private final byte[] tail;
    private final long length;

    private FileBody(FileChannel file, Path path, ThreadPool pool, List<Part> parts, byte[] tail) {
        this.file = file;
        this.path = path;
        this.pool = pool;
        this.parts = parts;
        this.tail = tail;
        long n = tail.length;
        for (Part p : parts) n += p.head.length + p.length;
        this.length = n;
    }

    /** {@code length} bytes of {@code file} (opened from the real path {@code path}) from {@code first}. */
    static FileBody region(FileChannel file, Path path, ThreadPool pool, long first, long length) {
        return new FileBody(file, path, pool, List.of(new Part(new byte[0], first, length)), new byte[0]);
    }

    /** A random boundary: file bytes that happen to contain it would break the parts apart. */
    static String newBoundary() {
        byte[] b = new byte[12];
        BOUNDARIES.nextBytes(b);
        return "xiio-" + HexFormat.of().formatHex(b);
    }

    /**
     * The parts of a {@code multipart/byteranges} body: each range with its
     * {@code Content-Type} and {@code Content-Range}, between {@code --boundary} lines.
     */
    static FileBody multipart(FileChannel file, Path path, ThreadPool pool, List<ByteRanges.Range> ranges, long size,
                              String contentType, String boundary) {
        Part[] parts = new Part[ranges.size()];
        for (int i = 0; i < parts.length; i++) {
            ByteRanges.Range r = ranges.get(i);
            String head = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Range: " + r.contentRange(size) + "\r\n\r\n";
            parts[i] = new Part(head.getBytes(StandardCharsets.ISO_8859_1), r.first(), r.length());
        }
        return new FileBody(file, path, pool, List.of(parts), ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void writeTo(BodyWriter out) throws Exception {
        if (parts.size() == 1 && parts.getFirst().head.length == 0 && tail.length == 0 && parts.getFirst().length >= ZeroCopySend.MIN_BYTES
                && ZeroCopySend.ENABLED && out.canSendFile()) {
            Part p = parts.getFirst();
            try (Arena arena = Arena.ofConfined()) {
                new ZeroCopySend(path, map(arena), this::warm).send(out, p.first, p.length);
            }
            return;
        }
        long largest = 0;
        for (Part p : parts) largest = Math.max(largest, p.length);
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(PIECE, Math.max(1, largest)));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = map(arena);
            for (Part p : parts) {
                out.write(p.head);
                long position = p.first, end = p.first + p.length;
                while (position < end) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                    int n = readAt(mapped, buffer, position);
                    if (n <= 0) throw new IOException("the file shrank while it was being sent");
                    out.write(buffer.array(), 0, n);
                    position += n;
                }
            }
        } catch (InternalError e) {
            // a mapped page went away under the copy (the file was truncated): HotSpot turns
            // the SIGBUS into this error, at the copy or soon after it, in this thread
            if (e.getMessage() == null || !e.getMessage().contains("unsafe memory access")) throw e;
            throw new IOException("the file shrank while it was being sent", e);
        }
        out.write(tail);
    }

    /** The whole file mapped read-only, or null if it is empty or cannot be mapped (then every read goes to a worker). */
    private MemorySegment map(Arena arena) {
        try {
            long size = file.size();
            return size == 0 ? null : file.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * The one place file bytes are read. A regular file never makes a read wait in the
     * kernel's sense (epoll refuses regular files, and {@code O_NONBLOCK} does not apply
     * to them): a read of a page that is not in the page cache blocks until the disk
     * answers, which on the loop thread would stall every connection. So: if the piece
     * is resident ({@link MemorySegment#isLoaded}, a {@code mincore} call, which counts
     * only pages whose contents are up to date: a page the kernel is still reading in
     * counts as absent), it is copied from the mapping here, which waits for no disk;
     * otherwise it is read with {@code pread} on a worker, and the kernel's readahead
     * then usually brings the following pieces in (8 MB not in the cache: 2 or 3 of
     * its 128 pieces went to a worker). The trip to a worker costs about 30 us of loop CPU per
     * piece (an eventfd per {@code ThreadPool.call}), which made a cached 200 MB file
     * take 2.7 times the CPU of the copy. When the library has asynchronous file reads
     * (io_uring, under way on branch uring-files), the worker branch is what changes.
     */
    private int readAt(MemorySegment mapped, ByteBuffer buffer, long position) throws Exception {
        int n = buffer.remaining();
        if (mapped != null && position + n <= mapped.byteSize()) {
            MemorySegment piece = mapped.asSlice(position, n);
            if (piece.isLoaded()) {
                MemorySegment.copy(piece, ValueLayout.JAVA_BYTE, 0, buffer.array(), buffer.position(), n);
                return n;
            }
        }
        PIECES_FROM_WORKERS.increment();
        return pool.call(() -> file.read(buffer, position));
    }

    /**
     * Brings {@code length} bytes at {@code position} into the page cache on a worker
     * (reading them into a scratch buffer), so that the sendfile after it reads no disk
     * on the loop thread. Only for pieces {@link #readAt}'s residency check found absent.
     */
    private void warm(long position, long length) throws Exception {
        PIECES_FROM_WORKERS.increment();
        pool.call(() -> {
            ByteBuffer scratch = ByteBuffer.allocate((int) Math.min(PIECE, length));
            for (long at = position, end = position + length; at < end; ) {
                scratch.clear().limit((int) Math.min(scratch.capacity(), end - at));
                int n = file.read(scratch, at);
                if (n <= 0) break; // shrank: sendfile will say so
                at += n;
            }
            return null;
        });
    }

    @Override
    public void close() {
        closeQuietly(file);
    }

    static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // read-only: nothing was lost
        }
    }
}
