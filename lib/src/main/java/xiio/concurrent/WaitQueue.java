package xiio.concurrent;

import java.io.IOException;
import xiio.core.Promise;
import xiio.core.Xiio;

/**
 * A FIFO of coroutines waiting for something that is handed to them one at a time:
 * the shared machinery of {@link Semaphore}, {@link Lock} and {@link Channel}.
 *
 * <p>The protocol is hand-off, not wake-and-retry: whoever frees a resource takes the
 * head node out of the queue and <em>grants</em> it (with a value, for channels) by
 * completing the node's promise, so a newcomer can never overtake a waiter (FIFO
 * fairness). A granted waiter is ready to run but has not run yet, so it can still be
 * cancelled before it resumes: {@link Xiio#await} then throws {@link
 * xiio.core.CancelledError} even though the node was granted. Every caller
 * therefore follows the same pattern:
 *
 * {@snippet :
 * Node<T> node = queue.add(value);
 * try {
 *     WaitQueue.await(node);
 * } catch (Throwable t) {
 *     if (node.isGranted()) passOn(node);    // it was ours: give it to the next waiter
 *     else queue.remove(node);
 *     throw t;
 * }
 * }
 *
 * <p>The catch block runs in the cancelled coroutine before any other coroutine of
 * the run, so nothing can be granted to the node after it decided.
 *
 * <p>An intrusive doubly linked list, so a cancelled waiter leaves in O(1).
 */
final class WaitQueue<T> {
    private static final int WAITING = 0, GRANTED = 1, CLOSED = 2;

    /** One waiting coroutine. */
    static final class Node<T> {
        private final Promise<Void> wake = new Promise<>();
        private Node<T> prev, next;
        private boolean queued;
        private int outcome = WAITING;
        /** What the waiter brought (an item to send, its coroutine) or was handed (an item). */
        T value;

        /** Whether it was granted: it owns a permit, the lock, a slot, or {@link #value}. */
        boolean isGranted() {
            return outcome == GRANTED;
        }

        /** Whether it was woken because the resource closed. */
        boolean isClosed() {
            return outcome == CLOSED;
        }

        /** Grants the node (already taken out of its queue) and wakes its coroutine. */
        void grant() {
            outcome = GRANTED;
            wake.complete(null);
        }

        /** Grants the node with {@code value}. */
        void grant(T value) {
            this.value = value;
            grant();
        }

        /** Wakes the node (already taken out of its queue) to tell it the resource closed. */
        void close() {
            outcome = CLOSED;
            wake.complete(null);
        }
    }

    private Node<T> head, tail;
    private int size;

    /** Appends a new waiter carrying {@code value}. */
    Node<T> add(T value) {
        Node<T> n = new Node<>();
        n.value = value;
        n.queued = true;
        n.prev = tail;
        if (tail == null) head = n;
        else tail.next = n;
        tail = n;
        size++;
        return n;
    }

    /** Takes the oldest waiter out of the queue, or returns null. */
    Node<T> poll() {
        Node<T> n = head;
        if (n != null) remove(n);
        return n;
    }

    /** Takes {@code n} out of the queue if it is still in it. */
    void remove(Node<T> n) {
        if (!n.queued) return;
        n.queued = false;
        if (n.prev == null) head = n.next;
        else n.prev.next = n.next;
        if (n.next == null) tail = n.prev;
        else n.next.prev = n.prev;
        n.prev = n.next = null;
        size--;
    }

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    /**
     * Suspends until {@code n} is granted or closed; throws what the wait throws
     * (a {@link xiio.core.CancelledError}, or a misuse such as waiting from another run).
     */
    static void await(Node<?> n) {
        try {
            Xiio.await(n.wake.condition());
        } catch (IOException impossible) {
            // only fd conditions fail with an IOException; a promise's never does
            throw new IllegalStateException("waiting on a promise failed", impossible);
        }
    }
}
