/**
 * xiio: a coroutine-only, Unix-only async I/O runtime with a stateless loop.
 *
 * <p>Layers, lowest first: {@code xiio.unix} (the FFM syscall table),
 * {@code xiio.core} (run, conditions, coroutines, the poller), {@code xiio.concurrent}
 * (task groups, timeouts, synchronization), {@code xiio.io} and {@code xiio.net}
 * (streams, sockets), {@code xiio.tls}, {@code xiio.thread}, {@code xiio.process},
 * {@code xiio.signal}, and {@code xiio.testing} (a virtual clock). Lower layers never
 * import upper ones.
 */
module xiio {
    // JFR events for task start/end, slow steps and poller waits
    requires jdk.jfr;
    // xiio.signal subscribes through sun.misc.Signal, the JVM's own async-signal-safe
    // dispatch (see xiio.signal.SignalDispatch for why not signalfd or a raw sigaction)
    requires jdk.unsupported;

    exports xiio.unix;
    exports xiio.core;
    exports xiio.concurrent;
    exports xiio.io;
    exports xiio.net;
    exports xiio.tls;
    exports xiio.thread;
    exports xiio.process;
    exports xiio.signal;
    exports xiio.testing;
}
