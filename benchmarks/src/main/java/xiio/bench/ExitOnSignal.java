package xiio.bench;

/**
 * Makes a peer server exit with status 0 on SIGINT or SIGTERM, as xiio's echo-server
 * and the C server do. The JVM turns both signals into a shutdown and would exit with
 * 130 or 143; a shutdown hook that releases the server and then halts with 0 keeps the
 * benchmark's "did the server stop cleanly" check the same for every server.
 */
final class ExitOnSignal {
    private ExitOnSignal() {}

    /** On SIGINT/SIGTERM: run {@code cleanup} (its failure is printed, not fatal), then exit 0. */
    static void install(Runnable cleanup) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cleanup.run();
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
            Runtime.getRuntime().halt(0);
        }, "exit-on-signal"));
    }
}
