package xiio.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import xiio.core.Condition;
import xiio.core.Interest;
import xiio.core.Promise;
import xiio.core.Suspendable;
import xiio.core.Xiio;

/**
 * Waits for the first of several operations and runs exactly one: a receive or a send
 * on a memory channel, a promise being done, an fd being ready, a deadline. The others
 * are not consumed: an item that was not selected stays in its channel, a send not
 * selected sent nothing.
 *
 * {@snippet :
 * String what = new Select<String>()
 *         .onReceive(orders, order -> "order " + order)
 *         .onReceive(cancels, id -> "cancel " + id)
 *         .onTimeout(Duration.ofSeconds(1), () -> "idle")
 *         .select();
 * }
 *
 * <p>How it chooses: {@link #select()} first tries the cases in the order they were
 * added and commits the first that can go now (biased, like Kotlin's {@code select};
 * put a case first to favour it). Otherwise it waits on the union of every case's
 * {@link Condition}: its channel cases queue at their channels like plain waiters (in
 * FIFO order with them), and the first channel operation that commits one of them
 * <em>chooses</em> the select, which makes its other offers dead; a promise, fd or
 * deadline that fires makes it look again in order. The chosen case's action runs
 * after the wait, and may suspend.
 *
 * <p>Cancellation: a select cancelled while it waits has consumed nothing. One chosen
 * by a channel just as it is cancelled keeps the hand-off (the item is not lost): it
 * runs the action and the cancellation is raised at the next suspension point.
 *
 * <p>A select may be reused (call {@code select()} again; timeouts restart each time),
 * by one coroutine at a time.
 *
 * @param <R> what the actions return
 */
public final class Select<R> {
    /** The action of a case that receives a value (an item, a promise's value). */
    @FunctionalInterface
    public interface Action<T, R> {
        /** Runs after the case was chosen; may suspend. */
        R run(T value) throws Exception;
    }

    private static final Object NOTHING = new Object(), COMMITTED = new Object(), ENDED = new Object();

    private final List<Case<R>> cases = new ArrayList<>();

    /** An empty select; add cases, then call {@link #select()}. */
    public Select() {}

    /**
     * Receives from {@code channel}; {@code action} gets the item, or {@code null} once
     * the channel has ended (every send end closed, drained), as {@link ReceiveChannel#receiveOrNull()}.
     */
    public <T> Select<R> onReceive(ReceiveChannel<T> channel, Action<? super T, ? extends R> action) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(action, "action");
        cases.add(new Receive<>(channel, action));
        return this;
    }

    /** Sends {@code item} on {@code channel}, then runs {@code action}. */
    public <T> Select<R> onSend(SendChannel<T> channel, T item, Suspendable<? extends R> action) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(item, "item: a channel carries no nulls");
        Objects.requireNonNull(action, "action");
        cases.add(new Send<>(channel, item, action));
        return this;
    }

    /** Waits for {@code promise}; {@code action} gets its value (a failed promise's failure is thrown by {@code select}). */
    public <T> Select<R> onDone(Promise<T> promise, Action<? super T, ? extends R> action) {
        Objects.requireNonNull(promise, "promise");
        Objects.requireNonNull(action, "action");
        cases.add(new Done<>(promise, action));
        return this;
    }

    /** Waits until {@code fd} is ready for {@code interest}; the action then does the I/O. */
    public Select<R> onReady(int fd, Interest interest, Suspendable<? extends R> action) {
        Objects.requireNonNull(interest, "interest");
        Objects.requireNonNull(action, "action");
        cases.add(new Ready<>(Condition.ready(fd, interest), fd, interest, action));
        return this;
    }

    /** {@link #onReady} for reading. */
    public Select<R> onReadable(int fd, Suspendable<? extends R> action) {
        return onReady(fd, Interest.READ, action);
    }

    /**
     * Chosen once {@code delay} has passed since {@code select()} was called, if nothing
     * else was; a huge delay means never.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Select<R> onTimeout(Duration delay, Suspendable<? extends R> action) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(action, "action");
        if (delay.isNegative()) throw new IllegalArgumentException("delay must not be negative, got " + delay);
        cases.add(new Timeout<>(delay, action));
        return this;
    }

    /**
     * Waits for the first case that can go, commits it and runs its action; returns what
     * the action returned.
     *
     * @throws IllegalStateException if there are no cases (it would wait forever)
     * @throws ChannelClosedException if a chosen channel case failed: its end is closed, or (send) every receive end is
     * @throws xiio.core.CancelledError if cancelled while waiting (then nothing was consumed)
     * @throws Exception what the chosen action throws, or a chosen failed promise's failure
     */
    public R select() throws Exception {
        if (cases.isEmpty()) {
            throw new IllegalStateException("select() without cases would wait forever; add a case (onTimeout for a limit)");
        }
        long now = Xiio.nanoTime();
        for (Case<R> c : cases) c.begin(now);
        while (true) {
            for (Case<R> c : cases) {
                Object v = c.tryNow();
                if (v != NOTHING) return c.run(v);
            }
            Selection sel = new Selection();
            ChannelState.Offer[] offers = new ChannelState.Offer[cases.size()];
            List<Condition> wait = new ArrayList<>(cases.size() + 1);
            wait.add(sel.chosen.condition());
            for (int i = 0; i < offers.length; i++) {
                Case<R> c = cases.get(i);
                offers[i] = c.enqueue(sel, i);
                Condition k = c.condition();
                if (k != null) wait.add(k);
            }
            try {
                Xiio.awaitHandOff(Condition.anyOf(wait.toArray(Condition[]::new)), sel.chosen);
            } finally {
                sel.giveUp();
                for (int i = 0; i < offers.length; i++) {
                    if (offers[i] != null) cases.get(i).dequeue(offers[i]);
                }
            }
            if (sel.wasChosen()) return cases.get(sel.caseIndex).chosen(sel);
            // woken by a promise, an fd or a deadline: look again, in order
        }
    }

    /** One case: what it tries now, what it waits on, what it runs. */
    private abstract static class Case<R> {
        void begin(long now) {}

        /** Commits now if it can go without waiting: what to run with, or {@link #NOTHING}. */
        abstract Object tryNow() throws Exception;

        /** Runs the action after {@link #tryNow} committed {@code v}. */
        abstract R run(Object v) throws Exception;

        /** Queues an offer at its channel (channel cases), or null. */
        ChannelState.Offer enqueue(Selection sel, int index) {
            return null;
        }

        void dequeue(ChannelState.Offer offer) {}

        /** What it waits on besides being chosen (promise, fd, deadline cases), or null. */
        Condition condition() {
            return null;
        }

        /** Runs after a channel chose it while the select waited. */
        R chosen(Selection sel) throws Exception {
            throw new IllegalStateException("only channel cases are chosen");
        }
    }

    private static final class Receive<T, R> extends Case<R> {
        private final ReceiveChannel<T> channel;
        private final Action<? super T, ? extends R> action;

        Receive(ReceiveChannel<T> channel, Action<? super T, ? extends R> action) {
            this.channel = channel;
            this.action = action;
        }

        @Override
        Object tryNow() {
            channel.checkOpen("select's receive");
            Object v = channel.state.poll();
            if (v == ChannelState.END) return ENDED;
            return v == null ? NOTHING : v;
        }

        @Override
        @SuppressWarnings("unchecked")
        R run(Object v) throws Exception {
            return action.run(v == ENDED ? null : (T) v);
        }

        @Override
        ChannelState.Offer enqueue(Selection sel, int index) {
            ChannelState.Offer o = new ChannelState.Offer(sel, index, channel, null);
            channel.state.receivers.add(o);
            return o;
        }

        @Override
        void dequeue(ChannelState.Offer offer) {
            channel.state.receivers.remove(offer);
        }

        @Override
        @SuppressWarnings("unchecked")
        R chosen(Selection sel) throws Exception {
            return switch (sel.outcome) {
                case Selection.CLOSED -> throw ChannelState.endClosed("select's receive");
                case Selection.END -> action.run(null);
                default -> action.run((T) sel.value);
            };
        }
    }

    private static final class Send<T, R> extends Case<R> {
        private final SendChannel<T> channel;
        private final T item;
        private final Suspendable<? extends R> action;

        Send(SendChannel<T> channel, T item, Suspendable<? extends R> action) {
            this.channel = channel;
            this.item = item;
            this.action = action;
        }

        @Override
        Object tryNow() {
            channel.checkOpen("select's send");
            return channel.state.offer(item) ? COMMITTED : NOTHING;
        }

        @Override
        R run(Object v) throws Exception {
            return action.call();
        }

        @Override
        ChannelState.Offer enqueue(Selection sel, int index) {
            ChannelState.Offer o = new ChannelState.Offer(sel, index, channel, item);
            channel.state.senders.add(o);
            return o;
        }

        @Override
        void dequeue(ChannelState.Offer offer) {
            channel.state.senders.remove(offer);
        }

        @Override
        R chosen(Selection sel) throws Exception {
            return switch (sel.outcome) {
                case Selection.CLOSED -> throw ChannelState.endClosed("select's send");
                case Selection.BROKEN -> throw ChannelState.noReceivers();
                default -> action.call();
            };
        }
    }

    private static final class Done<T, R> extends Case<R> {
        private final Promise<T> promise;
        private final Action<? super T, ? extends R> action;

        Done(Promise<T> promise, Action<? super T, ? extends R> action) {
            this.promise = promise;
            this.action = action;
        }

        @Override
        Object tryNow() {
            return promise.isDone() ? COMMITTED : NOTHING;
        }

        @Override
        R run(Object v) throws Exception {
            return action.run(promise.get());
        }

        @Override
        Condition condition() {
            return promise.condition();
        }
    }

    private static final class Ready<R> extends Case<R> {
        private final Condition condition;
        private final int fd;
        private final Interest interest;
        private final Suspendable<? extends R> action;

        Ready(Condition condition, int fd, Interest interest, Suspendable<? extends R> action) {
            this.condition = condition;
            this.fd = fd;
            this.interest = interest;
            this.action = action;
        }

        @Override
        Object tryNow() throws Exception {
            // epoll says only that some fd of the union woke us; poll(2) says which
            return Xiio.isReady(fd, interest) ? COMMITTED : NOTHING;
        }

        @Override
        R run(Object v) throws Exception {
            return action.call();
        }

        @Override
        Condition condition() {
            return condition;
        }
    }

    private static final class Timeout<R> extends Case<R> {
        private final Duration delay;
        private final Suspendable<? extends R> action;
        private long deadline;

        Timeout(Duration delay, Suspendable<? extends R> action) {
            this.delay = delay;
            this.action = action;
        }

        @Override
        void begin(long now) {
            long nanos;
            try {
                nanos = delay.toNanos();
            } catch (ArithmeticException huge) {
                nanos = Long.MAX_VALUE;
            }
            long d = now + nanos;
            deadline = d < now ? Long.MAX_VALUE : d;   // saturate: a huge delay means never
        }

        @Override
        Object tryNow() {
            return deadline != Long.MAX_VALUE && Xiio.nanoTime() >= deadline ? COMMITTED : NOTHING;
        }

        @Override
        R run(Object v) throws Exception {
            return action.call();
        }

        @Override
        Condition condition() {
            return Condition.deadline(deadline);
        }
    }
}
