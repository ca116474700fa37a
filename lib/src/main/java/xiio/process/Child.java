package xiio.process;

import java.io.IOException;
import java.time.Duration;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.unix.Errno;
import xiio.unix.ErrnoException;
import xiio.unix.sys.Constants;
import xiio.unix.sys.FileSyscalls;
import xiio.unix.sys.OwnedFd;
import xiio.unix.sys.ProcessSyscalls;

/**
 * One child process as the kernel sees it: its pid, and a pidfd that becomes
 * readable when it exits. Owns the pidfd until the child is reaped.
 *
 * <p>Only we reap it, through waitid(P_PIDFD). That is safe next to the JDK's own
 * {@link ProcessBuilder}: the JDK's reaper thread calls waitpid(pid) for each pid it
 * started (never waitpid(-1)), and {@code ProcessHandle.onExit()} of a child it did
 * not start only peeks with waitid(P_PID, WNOWAIT). Whoever sets SIGCHLD to SIG_IGN
 * breaks this (the kernel then reaps every child itself, and waitid answers
 * ECHILD); {@link #poll()} says so in its exception.
 */
final class Child {
    final int pid;
    private final String what;
    /** Whether the child leads its own process group: signals then go to the whole group. */
    private final boolean group;
    /** Closed once reaped, or once handed to a background reaper. */
    private final OwnedFd pidfd;
    /** Set on the loop when reaped here, or by the background reaper. */
    private volatile ExitStatus status;

    Child(int pid, int pidfd, String what, boolean group) {
        this.pid = pid;
        this.pidfd = new OwnedFd(pidfd, "pidfd of pid " + pid);
        this.what = what;
        this.group = group;
    }

    /** Reaps the child if it has exited; returns its status, or null while it runs. Never suspends. */
    ExitStatus poll() throws IOException {
        if (status != null || !pidfd.isOpen()) return status; // no pidfd and no status: a background reaper is at it
        long r = ProcessSyscalls.get().waitid(pidfd.fd(), Constants.WNOHANG);
        if (r == 0 || r == -Errno.EAGAIN) return null;
        if (r == -Errno.ECHILD) {
            throw new ErrnoException("waitid(pid " + pid + ": " + what + "); is SIGCHLD ignored in this JVM?"
                    + " The kernel then reaps children itself and their exit status is lost", Errno.ECHILD);
        }
        if (r < 0) throw new ErrnoException("waitid(pid " + pid + ")", (int) -r);
        status = ExitStatus.fromWaitid(r);
        pidfd.close(); // after reaping, it has no more use
        return status;
    }

    /**
     * Suspends until the child has exited, then reaps it. Cancel-safe: a cancelled
     * wait leaves the child running and unreaped. Several coroutines may wait at once.
     */
    ExitStatus await() throws IOException {
        while (status == null) {
            if (!pidfd.isOpen()) throw new IOException("pid " + pid + " (" + what + ") is being killed and reaped after a"
                    + " cancelled or failed close(); its exit status is not known yet");
            try {
                Xiio.await(Condition.readable(pidfd.fd()));
            } catch (IOException closedByAnotherWaiter) {
                if (status != null) break; // another coroutine reaped it and closed the pidfd
                throw closedByAnotherWaiter;
            }
            poll();
        }
        return status;
    }

    /**
     * Sends {@code signal} to the child, or to its process group; does nothing once
     * the child has been reaped. Until then its pid, which is also the group id, is
     * ours and cannot name another process or group.
     */
    void signal(int signal) throws ErrnoException {
        if (status != null || !pidfd.isOpen()) return; // reaped, or already sent SIGKILL and handed to a reaper
        int r = group ? ProcessSyscalls.get().kill(-pid, signal) : ProcessSyscalls.get().pidfdSendSignal(pidfd.fd(), signal);
        if (r < 0 && r != -Errno.ESRCH) {
            throw new ErrnoException((group ? "kill(process group " : "pidfd_send_signal(pid ") + pid + ", "
                    + ProcessSyscalls.signalName(signal) + ")", -r);
        }
    }

    /**
     * Makes sure the child is gone and reaped: SIGTERM, then SIGKILL if it has not
     * exited within {@code grace}. With a process group, the group gets both signals
     * and a final SIGKILL before the leader is reaped, so nothing it started lives on.
     * If this is cancelled (or cannot wait, e.g. outside a run), the child gets SIGKILL
     * at once and a short-lived thread reaps it, so neither a zombie nor the pidfd
     * outlives the failure, which is then rethrown.
     */
    void stop(Duration grace) {
        if (status != null) return;
        try {
            if (!hasExited()) {
                signal(Constants.SIGTERM);
                if (grace.isZero() || !awaitExit(grace)) signal(Constants.SIGKILL);
            }
            if (group) signal(Constants.SIGKILL); // stragglers; the leader is unreaped, so the group id is still ours
            await();
        } catch (IOException e) {
            reapInBackground(); // the child dies either way; there is nothing to report
        } catch (RuntimeException | Error e) {
            reapInBackground();
            throw e;
        }
    }

    /** Whether the child has exited, without reaping it (its pid stays ours). Never suspends. */
    private boolean hasExited() throws ErrnoException {
        long r = ProcessSyscalls.get().waitid(pidfd.fd(), Constants.WNOHANG | Constants.WNOWAIT);
        if (r < 0 && r != -Errno.EAGAIN) throw new ErrnoException("waitid(pid " + pid + ", WNOWAIT)", (int) -r);
        return r > 0;
    }

    /** Waits at most {@code limit} for the child to exit, without reaping it; true if it has. */
    private boolean awaitExit(Duration limit) throws IOException {
        if (hasExited()) return true;
        Xiio.await(Condition.readable(pidfd.fd()).or(Condition.after(limit)));
        return hasExited();
    }

    /** SIGKILL, and a daemon thread that blocks in waitid until the kernel has the child's status. */
    private void reapInBackground() {
        if (status != null || !pidfd.isOpen()) return;
        int fd = pidfd.fd();
        ProcessSyscalls sys = ProcessSyscalls.get();
        if (group) sys.kill(-pid, Constants.SIGKILL); // before the leader is reaped: the group id is still ours
        sys.pidfdSendSignal(fd, Constants.SIGKILL);
        // The reaper thread closes it, and a close there reaches no loop: hand-off tells this one now.
        OwnedFd reapers = pidfd.handOff();
        Runnable reap = () -> {
            try {
                // the fd was opened with PIDFD_NONBLOCK: a blocking waitid needs it cleared
                FileSyscalls.get().setNonBlocking(fd, false);
                long r = sys.waitid(fd, 0);
                if (r > 0) status = ExitStatus.fromWaitid(r);
            } catch (IOException ignored) {
                // nothing left to do: the fd is closed below either way
            } finally {
                reapers.close();
            }
        };
        try {
            Thread.ofPlatform().daemon().name("xiio-reaper-" + pid).start(reap);
        } catch (Throwable cannotStart) {
            reap.run(); // SIGKILL was sent: blocking here is short
        }
    }

    @Override
    public String toString() {
        return "pid " + pid + (status == null ? " (running)" : " (" + status + ")");
    }
}
