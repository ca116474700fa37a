package xiio.process;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.ProcessSyscalls;

/**
 * Turns a {@link Subprocess.Builder}'s options into fds and one posix_spawn call.
 *
 * <p>Every fd made here is O_CLOEXEC, so a child started concurrently by another
 * thread never inherits it; the child's own ends reach fds 0-2 through dup2 file
 * actions, which clear the flag. Pipes are made non-blocking for our end only: the
 * two ends of a pipe are separate open file descriptions, and a child handed an
 * O_NONBLOCK stdout would see EAGAIN where it expects to block. Files are opened
 * here rather than in the child so that a missing file is an exception naming the
 * path, not an anonymous spawn failure.
 *
 * <p>posix_spawn runs on the loop's thread: the parent side is one vfork-style clone
 * that returns once the child has exec'd (well under a millisecond), cheaper than a
 * hand-off to a worker thread.
 */
final class Launcher {
    private final Subprocess.Builder options;
    private final FileSyscalls fs = FileSyscalls.get();
    /** Fds of the child's side, closed in the parent once the child has them (or has failed). */
    private final List<Integer> childSide = new ArrayList<>();
    private final ChildPipe[] ours = new ChildPipe[3];
    private int devNull = -1;

    private Launcher(Subprocess.Builder options) {
        this.options = options;
    }

    static Subprocess launch(Subprocess.Builder options) throws IOException {
        return new Launcher(options).launch();
    }

    private Subprocess launch() throws IOException {
        List<String> argv = options.argv;
        boolean ok = false;
        try {
            int[] stdio = new int[3];
            stdio[0] = childEnd(0, "stdin", options.stdin);
            stdio[1] = childEnd(1, "stdout", options.stdout);
            stdio[2] = options.stderr.kind == Redirect.Kind.STDOUT
                    ? (stdio[1] >= 0 ? stdio[1] : 1) // 2>&1: wherever stdout goes, or our own fd 1
                    : childEnd(2, "stderr", options.stderr);
            String program = argv.get(0);
            boolean searchPath = program.indexOf('/') < 0;
            String directory = options.directory == null ? null : options.directory.toString();
            int pid = ProcessSyscalls.get().spawn(program, searchPath, argv, environment(), directory, stdio,
                    options.newProcessGroup);
            if (pid < 0) throw spawnFailure(-pid, searchPath);
            int pidfd = ProcessSyscalls.get().pidfdOpen(pid);
            if (pidfd < 0) {
                // a child without a pidfd cannot be awaited: kill it and reap it here (short: SIGKILL)
                ProcessSyscalls.get().kill(pid, Constants.SIGKILL);
                ProcessSyscalls.get().waitpid(pid);
                throw new ErrnoException("pidfd_open(pid " + pid + " of " + argv + "); Linux 5.3 or newer is needed", -pidfd);
            }
            Subprocess p = new Subprocess(argv, new Child(pid, pidfd, argv.toString(), options.newProcessGroup), ours[0], ours[1], ours[2],
                    options.grace);
            ok = true;
            return p;
        } finally {
            for (int fd : childSide) fs.close(fd);
            if (!ok) {
                for (ChildPipe s : ours) if (s != null) s.close();
            }
        }
    }

    /** The fd the child gets as {@code target} (-1: inherit ours); makes our pipe end if it is a pipe. */
    private int childEnd(int target, String name, Redirect r) throws IOException {
        return switch (r.kind) {
            case INHERIT -> -1;
            case NULL -> devNull();
            case FILE -> {
                int flags = target == 0 ? Constants.O_RDONLY
                        : Constants.O_WRONLY | Constants.O_CREAT | (r.append ? Constants.O_APPEND : Constants.O_TRUNC);
                yield keep(fs.open(r.file.toString(), flags, 0666));
            }
            case PIPE -> {
                int[] pipe = fs.pipe();
                int theirs = target == 0 ? pipe[0] : pipe[1];
                int mine = target == 0 ? pipe[1] : pipe[0];
                ours[target] = new ChildPipe(name + " of " + options.argv, mine, target == 0);
                keep(theirs);
                fs.setNonBlocking(theirs, false);
                yield aboveStdio(theirs);
            }
            case STDOUT -> throw new IllegalStateException("unreachable: checked by the builder");
        };
    }

    private int devNull() throws IOException {
        if (devNull < 0) devNull = keep(fs.open("/dev/null", Constants.O_RDWR, 0));
        return aboveStdio(devNull);
    }

    private int keep(int fd) {
        childSide.add(fd);
        return fd;
    }

    /**
     * A child-side fd numbered 0-2 (possible only if this JVM closed its own stdio)
     * would be overwritten by an earlier dup2 of the file actions: move it up.
     */
    private int aboveStdio(int fd) throws ErrnoException {
        if (fd > 2) return fd;
        int moved = (int) FileSyscalls.check(fs.fcntl(fd, Constants.F_DUPFD_CLOEXEC, 3), "fcntl(F_DUPFD_CLOEXEC)", fd);
        return keep(moved);
    }

    private List<String> environment() {
        Map<String, String> env = options.env;
        if (env == null) return null;
        List<String> entries = new ArrayList<>(env.size());
        env.forEach((k, v) -> entries.add(k + "=" + v));
        return entries;
    }

    private IOException spawnFailure(int errno, boolean searchPath) {
        String program = options.argv.get(0);
        StringBuilder call = new StringBuilder("start ").append(options.argv);
        boolean noDirectory = options.directory != null && !Files.isDirectory(options.directory);
        if (options.directory != null) call.append(" in ").append(options.directory);
        if (noDirectory) call.append(" (no such directory)");
        else if (errno == Errno.ENOENT && searchPath) call.append(" ('").append(program).append("' not found on PATH)");
        else if (errno == Errno.EACCES) call.append(" ('").append(program).append("' is not executable)");
        return new ErrnoException(call.toString(), errno);
    }
}
