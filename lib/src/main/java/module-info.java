/**
 * xiio: a coroutine-only, Unix-only async I/O runtime with a stateless loop.
 *
 * <p>Layers, lowest first: {@code xiio.unix} (errno types; the FFM syscall table in
 * {@code xiio.unix.sys} is internal), {@code xiio.core} (run, conditions, coroutines,
 * the poller), {@code xiio.concurrent} (task groups, timeouts, synchronization),
 * {@code xiio.io} (streams over fds), {@code xiio.thread} (thread pools, futures),
 * {@code xiio.file} (regular files),
 * {@code xiio.net} (sockets, DNS), {@code xiio.tls}, {@code xiio.process},
 * {@code xiio.signal}, and {@code xiio.testing} (a virtual clock). Lower layers never
 * import upper ones.
 */
module xiio {
    // JFR events for task start/end, slow steps and poller waits
    requires jdk.jfr;
    // xiio.signal subscribes through sun.misc.Signal, the JVM's own async-signal-safe
    // dispatch (see xiio.signal.SignalDispatch for why not signalfd or a raw sigaction)
    requires jdk.unsupported;

    // Exported in layer order, lowest first. Not exported: xiio.unix.sys (the syscall
    // tables, their fault-injection hooks and the close hook the loop relies on) and
    // xiio.core.strand (the two coroutine backends).

    // ErrnoException and Errno: public signatures throw them, callers read the errno
    exports xiio.unix;
    // run, await, Condition, Promise, CancelScope: the loop and its one primitive
    exports xiio.core;
    // TaskGroup, Timeout, Channel, Lock, Semaphore, Event: what programs are built of
    exports xiio.concurrent;
    // ByteStream, FdStream, pipes, stdio, buffered readers and writers
    exports xiio.io;
    // ThreadPool and the bridges with CompletableFuture and executors
    exports xiio.thread;
    // AsyncFile: regular files through io_uring or a thread pool
    exports xiio.file;
    // TCP, UDP and Unix sockets, DNS
    exports xiio.net;
    // TlsStream and its configuration
    exports xiio.tls;
    // Subprocess and run()
    exports xiio.process;
    // Signal subscriptions, Ctrl-C as cancellation, task dumps
    exports xiio.signal;
    // VirtualClock, for users' own tests of time-dependent code
    exports xiio.testing;
}
