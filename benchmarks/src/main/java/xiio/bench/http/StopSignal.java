package xiio.bench.http;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Blocks until SIGINT or SIGTERM, for the http benchmark's peer servers, which then
 * close and exit 0: handling the signals ourselves is what makes the exit status 0,
 * not the JVM's 130 or 143.
 */
final class StopSignal {
    private StopSignal() {}

    static void await() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> stop.countDown());
            } catch (IllegalArgumentException ignoredByParent) {
                // SIGINT of a background job stays ignored; SIGTERM still stops it
            }
        }
        stop.await();
    }
}
