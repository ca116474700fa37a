package xiio.process;

import java.io.IOException;
import java.util.Arrays;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;

/**
 * {@link Subprocess.Builder#run()}: one task per pipe, so stdin is fed while stdout
 * and stderr are drained. The reference system reads captured output only after the
 * child exits, which deadlocks as soon as the child fills a pipe buffer (64 KiB);
 * reading concurrently cannot.
 */
final class Capture {
    private static final int CHUNK = 64 * 1024; // a full pipe buffer per read

    private Capture() {}

    static CompletedProcess run(Subprocess.Builder options) throws IOException {
        byte[] input = options.input;
        CompletedProcess done;
        try (Subprocess p = options.start()) {
            done = TaskGroup.scope(group -> {
                ChildPipe in = p.stdinPipe();
                if (in != null) group.spawn("stdin of " + options.argv, () -> feed(in, input));
                Task<byte[]> out = drainIn(group, p.stdoutPipe());
                Task<byte[]> err = drainIn(group, p.stderrPipe());
                ExitStatus status = p.waitFor();
                return new CompletedProcess(options.argv, status, joined(out), joined(err));
            });
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception impossible) {
            throw new IllegalStateException("unexpected checked exception from a pipe task", impossible);
        }
        return options.check ? done.check() : done;
    }

    private static Task<byte[]> drainIn(TaskGroup group, ChildPipe pipe) {
        if (pipe == null) return null;
        return group.spawn(pipe.toString(), () -> {
            byte[] all = readAll(pipe);
            pipe.close(); // at end of file: its fd has no more use while the child finishes
            return all;
        });
    }

    private static byte[] joined(Task<byte[]> task) throws Exception {
        return task == null ? CompletedProcess.NOT_CAPTURED : task.join();
    }

    /** Writes {@code input} (if any), then closes stdin. A child that exits without reading it all is not an error. */
    private static Void feed(ChildPipe stdin, byte[] input) throws IOException {
        try {
            if (input != null) stdin.writeAll(input, 0, input.length);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EPIPE) throw e;
        } finally {
            stdin.close();
        }
        return null;
    }

    static byte[] readAll(ChildPipe pipe) throws IOException {
        byte[] data = new byte[CHUNK];
        int size = 0;
        while (true) {
            if (data.length - size < CHUNK) data = Arrays.copyOf(data, Math.max(data.length * 2, size + CHUNK));
            int n = pipe.read(data, size, CHUNK);
            if (n < 0) return Arrays.copyOf(data, size);
            size += n;
        }
    }
}
