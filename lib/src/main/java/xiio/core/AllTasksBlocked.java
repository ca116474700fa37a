package xiio.core;

/**
 * The condition "every other coroutine of the run is blocked": fulfilled when no
 * coroutine is ready and a poll that does not block found nothing either, at most one
 * waiter at a time (so each one that wakes saw the others blocked, itself included).
 * It comes before any jump of a virtual clock: time stands still until it is fulfilled.
 * What {@code xiio.testing.Testing.waitAllTasksBlocked()} awaits; tests use it to
 * check that nothing happens.
 */
public final class AllTasksBlocked extends Condition {
    private static final AllTasksBlocked INSTANCE = new AllTasksBlocked();

    private AllTasksBlocked() {}

    /** The condition; awaiting it suspends until every other coroutine of the run is blocked. */
    public static Condition condition() {
        return INSTANCE;
    }

    @Override
    void arm(Engine engine, Waiter waiter) {
        engine.idle.add(waiter, waiter.nextPart++);
    }

    @Override
    void disarm(Engine engine, Waiter waiter) {
        engine.idle.remove(waiter, waiter.nextPart++);
    }

    @Override
    public String toString() {
        return "allTasksBlocked";
    }
}
