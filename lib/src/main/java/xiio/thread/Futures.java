package xiio.thread;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import xiio.core.ThreadSignal;

/**
 * Awaiting the rest of the Java async world from a coroutine: any
 * {@link CompletionStage}, such as a {@link CompletableFuture} from an HTTP client,
 * a database driver or an executor of virtual threads. The other direction,
 * starting a coroutine from plain Java code and getting a future for it, is
 * {@link LoopThread} and {@link LoopExecutor}.
 *
 * {@snippet :
 * HttpClient http = HttpClient.newHttpClient();
 * String body = Xiio.run(() -> {
 *     HttpResponse<String> r = Futures.await(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
 *     return r.body();
 * });
 * }
 */
public final class Futures {
    private Futures() {}

    /**
     * Suspends until {@code stage} completes, then returns its value or throws its
     * failure as itself: a {@link CompletionException} is unwrapped to its cause, and
     * a cancelled future throws {@link java.util.concurrent.CancellationException}.
     *
     * <p>The stage may be completed by any thread; that thread wakes this coroutine's
     * loop through the run's one wake-up eventfd ({@link ThreadSignal}), and the loop
     * sleeps in the meantime; completed on the loop itself, it wakes the coroutine
     * without a syscall. A stage that is already complete costs no suspension.
     *
     * <p>Cancelling the awaiting coroutine cancels nothing it does not own: the stage
     * is left as it is, still running, and may still complete later (its result is
     * then dropped). To stop the work too, cancel the future yourself in a
     * {@code catch (CancelledError e)} block, and rethrow.
     */
    public static <T> T await(CompletionStage<T> stage) throws Exception {
        Objects.requireNonNull(stage, "stage");
        Outcome<T> outcome = new Outcome<>();
        stage.whenComplete(outcome); // runs at once, on this thread, if the stage is already complete
        return outcome.await();
    }

    /** The stage's outcome, handed over under a lock by whichever thread completes it. */
    private static final class Outcome<T> implements BiConsumer<T, Throwable> {
        private boolean done;
        private T value;
        private Throwable failure;
        private ThreadSignal wakeup;

        @Override
        public synchronized void accept(T value, Throwable failure) {
            this.value = value;
            this.failure = failure;
            this.done = true;
            if (wakeup != null) wakeup.signal();
        }

        T await() throws Exception {
            ThreadSignal w;
            synchronized (this) {
                w = done ? null : (wakeup = ThreadSignal.open(false));
            }
            if (w != null) {
                try {
                    w.await();
                } finally {
                    w.close(); // also when cancelled: a later completion then signals nothing
                }
            }
            return get();
        }

        private synchronized T get() throws Exception {
            Throwable f = failure;
            if (f == null) return value;
            if (f instanceof CompletionException && f.getCause() != null) f = f.getCause();
            if (f instanceof Exception e) throw e;
            throw (Error) f;
        }
    }
}
