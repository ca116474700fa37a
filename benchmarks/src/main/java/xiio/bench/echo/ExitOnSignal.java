package xiio.bench.echo;

/**
 * Makes a peer server exit with status 0 on SIGINT or SIGTERM, as the C server does.
 * The JVM turns both signals into a shutdown and would exit with 130 or 143; a
 * shutdown hook that releases the server and then halts with 0 makes its clean stop
 * plain. (xiio's echo-server exits 143, 128 + SIGTERM, which ServerProcess.stop also
 * counts as clean.)
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
