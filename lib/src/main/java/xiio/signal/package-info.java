/**
 * Signals as an async stream, and Ctrl-C as cancellation.
 *
 * <p>{@link xiio.signal.Signals#subscribe} returns a {@link xiio.signal.SignalSubscription}:
 * its signals are queued and wake a coroutine through an eventfd, so waiting for a
 * signal is waiting for an fd like any other. {@link xiio.signal.Signals#runMain} runs
 * a program whose first Ctrl-C (or SIGTERM) cancels main so its cleanup runs, and
 * whose second one exits at once.
 *
 * <p>Mechanism: the JVM's own signal dispatch ({@code sun.misc.Signal}, module
 * {@code jdk.unsupported}). HotSpot's C handler is async-signal-safe and hands the
 * signal to a Java thread; that thread writes to the subscribers' eventfds. Not
 * signalfd (it needs the signal blocked in every thread of the JVM, which we do not
 * control) and not sigaction with an FFM upcall (Java code in signal context is not
 * async-signal-safe). Signals the JVM needs are refused with a message that names
 * them: see {@link xiio.signal.Signal#reservedBecause()}.
 */
package xiio.signal;
