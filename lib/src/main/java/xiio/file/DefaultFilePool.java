package xiio.file;

import xiio.thread.ThreadPool;

/** The pool behind {@link AsyncFile#defaultPool()}, created on first use. */
final class DefaultFilePool {
    private DefaultFilePool() {}

    /**
     * Enough workers to keep a disk's queue busy (NVMe drives serve tens of reads at
     * once) without a thread per waiting coroutine; daemons, idle ones stop after a
     * minute.
     */
    static final ThreadPool POOL = ThreadPool.daemon("xiio-files",
            Math.max(16, 4 * Runtime.getRuntime().availableProcessors()));
    static final PoolFileIo IO = new PoolFileIo(POOL);
}
