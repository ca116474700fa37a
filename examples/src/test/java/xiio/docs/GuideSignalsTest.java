package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.io.StreamReader;
import xiio.net.TcpListener;
import xiio.process.ExitStatus;
import xiio.process.Redirect;
import xiio.process.Subprocess;
import xiio.signal.Signal;
import xiio.signal.SignalSubscription;
import xiio.signal.Signals;
import xiio.signal.TaskDumps;

/** The examples of docs/guide-signals.md, with real signals: to this JVM, and Ctrl-C to a child JVM. */
class GuideSignalsTest {

    /** A server whose first Ctrl-C (or SIGTERM) cancels it; run as a child JVM below. */
    static final class Server {
        // region run-main
        public static void main(String[] args) throws Exception {
            Signals.runMain(() -> {                     // Ctrl-C or SIGTERM cancels the body; cleanup runs
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    System.out.println("listening on " + listener.localAddress());
                    while (true) listener.accept().close();
                } finally {
                    System.out.println("bye");          // then the JVM exits with 130 (143 after SIGTERM)
                }
            });
        }
        // endregion
    }

    @Test
    void ctrlCCancelsMainAndItsCleanupRuns() throws Exception {
        String[] got = Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(30), () -> {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Server.class.getName()));
            try (Subprocess server = Subprocess.builder(cmd).stdout(Redirect.PIPE).start()) {
                StreamReader out = new StreamReader(server.stdout());
                String first = out.readLine(1024);
                Signals.send(server.pid(), Signal.SIGINT);            // what Ctrl-C at a terminal sends
                String second = out.readLine(1024);
                ExitStatus status = server.waitFor();
                return new String[] {first, second, String.valueOf(status.code())};
            }
        }));
        assertTrue(got[0].startsWith("listening on "), got[0]);
        assertEquals("bye", got[1]);
        assertEquals("130", got[2]);
    }

    @Test
    void subscriptions() throws Exception {
        List<Signal> got = Xiio.run(() -> {
            List<Signal> seen = new ArrayList<>();
            long me = ProcessHandle.current().pid();
            // region subscribe
            try (SignalSubscription signals = Signals.subscribe(Signal.SIGHUP, Signal.SIGUSR1)) {
                TaskGroup.scope(group -> {
                    group.spawn("operator", () -> {
                        Signals.send(me, Signal.SIGHUP);         // as `kill -HUP <pid>` would
                        Xiio.sleep(Duration.ofMillis(20));
                        Signals.send(me, Signal.SIGUSR1);
                        return null;
                    });
                    for (Signal s : signals) {                   // suspends between signals
                        seen.add(s);                             // SIGHUP: reload; SIGUSR1: statistics; ...
                        if (s == Signal.SIGUSR1) break;
                    }
                    return null;
                });
            }                                                    // the previous handlers are back
            // endregion
            return seen;
        });
        assertEquals(List.of(Signal.SIGHUP, Signal.SIGUSR1), got);
    }

    @Test
    void taskDumpOnASignal() throws Exception {
        String dump = Xiio.run(() -> {
            // region dump
            ByteArrayOutputStream dumps = new ByteArrayOutputStream();
            TaskDumps.on(Signal.SIGUSR1, new PrintStream(dumps, true, StandardCharsets.UTF_8), () -> TaskGroup.scope(group -> {
                Task<Void> sleeper = group.spawn("sleeper", () -> { Xiio.sleep(Duration.ofDays(1)); return null; });
                Signals.send(ProcessHandle.current().pid(), Signal.SIGUSR1);   // as `kill -USR1 <pid>` would
                while (dumps.size() == 0) Xiio.sleep(Duration.ofMillis(10));
                sleeper.cancel();
                return null;
            }));
            // dumps: "xiio task dump (SIGUSR1):" then the tree, e.g.
            //   sleeper: waiting for deadline(...)
            //       at xiio.docs.GuideSignalsTest.lambda$taskDumpOnASignal$...(GuideSignalsTest.java:...)
            // endregion
            return dumps.toString(StandardCharsets.UTF_8);
        });
        assertTrue(dump.startsWith("xiio task dump (SIGUSR1):"), dump);
        assertTrue(dump.contains("sleeper: waiting for deadline("), dump);
        assertTrue(dump.contains("GuideSignalsTest"), dump);
    }
}
