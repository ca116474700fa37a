package xiio.core.strand;

import java.util.concurrent.locks.LockSupport;

/**
 * The portable backend: each coroutine is a virtual thread, and exactly one side of
 * a resume/suspend pair runs at a time (a strict hand-off with park/unpark).
 *
 * <p>A hand-off between two virtual threads costs about a microsecond; from a
 * platform thread it costs ~30x more, because the platform thread really sleeps. So
 * the loop itself is driven from a virtual thread ({@link #needsVirtualDriver()}).
 */
final class VirtualThreadBackend implements Backend {
    private static final ThreadLocal<VirtualStrand> CURRENT = new ThreadLocal<>();

    private static final class VirtualStrand implements Strand {
        final Object owner;
        final Thread thread;
        private Thread driver;
        private boolean started;
        /** True while the coroutine side holds the baton. */
        private volatile boolean running;
        private volatile boolean done;
        /**
         * The interrupt flag, travelling with the baton (written before {@code running}
         * flips, read after). On the continuation backend every coroutine of a run shares
         * the loop thread's one flag; here each has a thread of its own, so the flag is
         * handed over at every switch to behave the same: a coroutine that restores the
         * flag ({@code Thread.currentThread().interrupt()} in a catch) and then suspends
         * makes the loop see it and end the run with InterruptedException. Left on a
         * parking thread instead, the flag would make every park return at once: a
         * suspended coroutine would spin on a core.
         */
        private boolean interruptCarried;

        VirtualStrand(Object owner, String name, java.util.function.Consumer<Object> entry) {
            this.owner = owner;
            this.thread = Thread.ofVirtual().name(name).unstarted(() -> {
                CURRENT.set(this);
                if (interruptCarried) Thread.currentThread().interrupt();
                try {
                    entry.accept(owner);
                } finally {
                    interruptCarried = Thread.interrupted();
                    done = true;
                    running = false;
                    LockSupport.unpark(driver);
                }
            });
        }

        @Override
        public void resume() {
            if (done) throw new IllegalStateException("coroutine has ended");
            driver = Thread.currentThread();
            interruptCarried = Thread.interrupted();
            running = true;
            if (!started) {
                started = true;
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
            boolean interruptedMeanwhile = parkWhile(true);
            if (interruptCarried || interruptedMeanwhile) Thread.currentThread().interrupt();
        }

        void suspend() {
            interruptCarried = Thread.interrupted();
            running = false;
            LockSupport.unpark(driver);
            boolean interruptedMeanwhile = parkWhile(false);
            if (interruptCarried || interruptedMeanwhile) Thread.currentThread().interrupt();
        }

        /** Parks until {@code running} is no longer {@code value}; returns whether an interrupt came meanwhile. */
        private boolean parkWhile(boolean value) {
            boolean interrupted = false;
            while (running == value) {
                LockSupport.park(this);
                // park returns at once while the flag is set: take it, or this loop spins
                if (Thread.interrupted()) interrupted = true;
            }
            return interrupted;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public Thread thread() {
            return thread;
        }

        @Override
        public StackTraceElement[] stackTrace() {
            return done ? new StackTraceElement[0] : thread.getStackTrace();
        }
    }

    @Override
    public Strand create(Object owner, String name, java.util.function.Consumer<Object> entry) {
        return new VirtualStrand(owner, name, entry);
    }

    @Override
    public void suspend() {
        VirtualStrand s = CURRENT.get();
        if (s == null) throw new IllegalStateException("not inside a coroutine");
        s.suspend();
    }

    @Override
    public Object current() {
        VirtualStrand s = CURRENT.get();
        return s == null ? null : s.owner;
    }

    @Override
    public boolean needsVirtualDriver() {
        return true;
    }

    @Override
    public String name() {
        return "vthread";
    }
}
