package xiio.core;

import java.util.Arrays;

/**
 * A binary min-heap of armed waiters ordered by deadline. Each waiter knows its
 * index, so removing one (its fd fired first, or it was cancelled) is O(log n):
 * a million sleeping coroutines cost a million slots and no garbage.
 */
final class TimerHeap {
    private Waiter[] heap = new Waiter[64];
    private int size;

    int size() {
        return size;
    }

    /** The earliest deadline, or {@link Deadlines#NEVER} when empty. */
    long earliest() {
        return size == 0 ? Deadlines.NEVER : heap[0].deadline;
    }

    void add(Waiter w) {
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        heap[size] = w;
        w.heapIndex = size;
        siftUp(size++);
    }

    void remove(Waiter w) {
        int i = w.heapIndex;
        if (i < 0) return;
        w.heapIndex = -1;
        Waiter last = heap[--size];
        heap[size] = null;
        if (i == size) return;
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        if (heap[i] == last) siftUp(i);
    }

    /** Fires every waiter whose deadline is at or before {@code now}. */
    void expire(long now) {
        while (size > 0 && heap[0].deadline <= now) heap[0].fire();
    }

    private void siftUp(int i) {
        Waiter w = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Waiter p = heap[parent];
            if (p.deadline <= w.deadline) break;
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = w;
        w.heapIndex = i;
    }

    private void siftDown(int i) {
        Waiter w = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Waiter c = heap[child];
            int right = child + 1;
            if (right < size && heap[right].deadline < c.deadline) c = heap[child = right];
            if (w.deadline <= c.deadline) break;
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = w;
        w.heapIndex = i;
    }
}
