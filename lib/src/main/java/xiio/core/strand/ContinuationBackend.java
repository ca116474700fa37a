package xiio.core.strand;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The fast backend: the JDK's own one-shot continuation, the machinery under virtual
 * threads without the scheduler. A yield plus resume costs tens of nanoseconds.
 * Loaded only when {@code java.base/jdk.internal.vm} is exported to this module.
 */
final class ContinuationBackend implements Backend {
    private static final ContinuationScope SCOPE = new ContinuationScope("xiio");

    private static final class ContinuationStrand extends Continuation implements Strand {
        final Object owner;
        final java.util.function.Consumer<Object> entry;

        ContinuationStrand(Object owner, java.util.function.Consumer<Object> entry) {
            super(SCOPE, ContinuationBackend::enterCurrent);
            this.owner = owner;
            this.entry = entry;
        }

        @Override
        public void resume() {
            run();
        }

        @Override
        public Thread thread() {
            return null;
        }

        @Override
        public StackTraceElement[] stackTrace() {
            return isDone() ? new StackTraceElement[0] : getStackTrace();
        }

        @Override
        protected void onPinned(Continuation.Pinned reason) {
            String why = switch (reason) {
                case MONITOR -> "it holds a monitor (a synchronized block or method)";
                case NATIVE -> "a native frame (an FFM upcall or JNI) is on its stack";
                case CRITICAL_SECTION -> "it is in a JVM critical section";
                default -> "it is pinned (" + reason + ")";
            };
            throw new IllegalStateException("xiio: this coroutine cannot suspend here because " + why
                    + "; leave the synchronized block (use xiio.concurrent.Lock to hold a lock across a"
                    + " suspension) or move the suspending call out of the native callback");
        }
    }

    @Override
    public Strand create(Object owner, String name, java.util.function.Consumer<Object> entry) {
        return new ContinuationStrand(owner, entry);
    }

    /** The one Runnable all continuations share: it finds its strand and enters the owner. */
    private static void enterCurrent() {
        ContinuationStrand s = (ContinuationStrand) Continuation.getCurrentContinuation(SCOPE);
        s.entry.accept(s.owner);
    }

    @Override
    public void suspend() {
        Continuation.yield(SCOPE);
    }

    @Override
    public Object current() {
        Continuation c = Continuation.getCurrentContinuation(SCOPE);
        return c == null ? null : ((ContinuationStrand) c).owner;
    }

    @Override
    public boolean needsVirtualDriver() {
        return false;
    }

    @Override
    public String name() {
        return "continuation";
    }
}
