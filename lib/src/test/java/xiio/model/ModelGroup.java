package xiio.model;

import java.util.ArrayList;
import java.util.List;
import xiio.model.ModelValues.MExc;

/**
 * A task group in the model (R4, R5): its live members, the first non-cancellation
 * failure (later ones suppressed), and the cancellation that reached its owner while
 * it waited for the members.
 */
final class ModelGroup {
    final String id;
    final ModelTask owner;
    final List<ModelTask> members = new ArrayList<>();
    ModelTask body;
    MExc failure;
    /** The outermost cancellation delivered to the owner at its wait for this group. */
    MExc ownerCancel;
    boolean exited;

    ModelGroup(String id, ModelTask owner) {
        this.id = id;
        this.owner = owner;
    }

    /**
     * Off by default. {@code -Dxiio.modelSkipLateSpawns=true} skips the programs where a
     * task spawned after the group's cancellation began is still running when the group
     * cancels again: the rules (R4, literally: every failure cancels every other task) and
     * the runtime (only the first failure cancels) disagree there; see the model test's
     * finding F3. Not for CI: it hides that case instead of deciding it.
     */
    static final boolean SKIP_LATE_SPAWNS = Boolean.getBoolean("xiio.modelSkipLateSpawns");

    /** Tasks spawned after the cancellation began; they run normally (TaskGroup's docs). */
    private final List<ModelTask> spawnedLate = new ArrayList<>();
    private boolean cancelling;

    void spawned(ModelTask t) {
        if (cancelling) spawnedLate.add(t);
    }

    /** {@code group.cancel()}: every live member's own scope. */
    void cancelMembers() {
        for (ModelTask m : members) {
            if (SKIP_LATE_SPAWNS && spawnedLate.contains(m)) owner.model().unspecified("F3: late spawn cancelled again");
            m.requestCancel(m.root);
        }
        cancelling = true;
    }

    /** The owner got a cancellation at its wait: remember it (each is outer to the one before) and cancel all. */
    void ownerCancelled(MExc e) {
        ownerCancel = e;
        cancelMembers();
    }

    /** A member ended; the first-failure rule. */
    void memberEnded(ModelTask t) {
        members.remove(t);
        MExc e = t.failure;
        if (e == null || t.cancelled) return;
        // R4 read literally: every failure cancels every other task, also those spawned
        // after the first one (which run normally until then)
        cancelMembers();
        if (failure == null) failure = e;
        else if (e != failure) failure.suppressed.add(e);
    }
}
