package xiio.bench.http;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.http.server.Handler;
import xiio.http.server.HttpServer;
import xiio.http.server.Response;
import xiio.http.server.Router;
import xiio.http.server.ServerConfig;
import xiio.net.TcpListener;
import xiio.thread.ThreadPool;

/**
 * Issue 14's figure "disconnect cancels handler": the time from a client's reset to
 * the {@code finally} of the handler it cancels, a handler waiting in a
 * {@link ThreadPool} call (a slow database call). Cold is the first reset in a fresh
 * JVM, warm the ones after it; each JVM is a child process of this one, with the
 * server's disconnect rehearsal on and, side by side, off. The last column is what the
 * rehearsal costs: the JVM's first server, from {@code serve()} to its first answer
 * (which also pays for loading the server's own code), in JVMs of their own.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.vm=ALL-UNNAMED \
 *     -cp lib/target/classes:http/target/classes:benchmarks/target/classes xiio.bench.http.ResetToFinally [JVMS [ROUNDS]]
 * </pre>
 * after {@code mvn -pl benchmarks -am compile}. Prints a table, in microseconds.
 */
public final class ResetToFinally {
    private ResetToFinally() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            int rounds = Integer.parseInt(args[1]);
            if (rounds == 0) System.out.println("us " + firstAnswerMicros()); // a JVM of its own: its resets would be warm
            for (int i = 0; i < rounds; i++) System.out.println("us " + resetToFinallyMicros());
            return;
        }
        int jvms = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf("reset -> handler's finally, us (%d fresh JVMs x %d resets; load %s)%n", jvms, rounds, loadAverage());
        System.out.println("| rehearsal | cold median | cold max | warm median | warm max | serve() to the first answer, median |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (boolean rehearse : new boolean[] {true, false}) {
            List<Long> cold = new ArrayList<>(), warm = new ArrayList<>(), start = new ArrayList<>();
            for (int j = 0; j < jvms; j++) {
                List<Long> us = child(rehearse, rounds);
                cold.add(us.getFirst());
                warm.addAll(us.subList(1, us.size()));
                start.add(child(rehearse, 0).getFirst());
            }
            System.out.printf("| %s | %d | %d | %d | %d | %d |%n", rehearse ? "on" : "off", median(cold), Collections.max(cold),
                    warm.isEmpty() ? 0 : median(warm), warm.isEmpty() ? 0 : Collections.max(warm), median(start));
        }
        System.out.printf("load at the end: %s%n", loadAverage());
    }

    private static List<Long> child(boolean rehearse, int rounds) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-Dxiio.http.rehearseDisconnect=" + rehearse);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ResetToFinally.class.getName(), "--child", String.valueOf(rounds)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Long> us = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("us ")) us.add(Long.parseLong(line.substring(3)));
            }
        }
        if (p.waitFor() != 0 || us.size() != Math.max(1, rounds)) throw new IllegalStateException("child failed: " + String.join(" ", cmd));
        return us;
    }

    /** The JVM's first server: from serve() to the first answer, what the rehearsal adds to a server's start. */
    private static long firstAnswerMicros() throws Exception {
        return Xiio.run(() -> TaskGroup.scope(group -> {
            TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = listener.localAddress().getPort();
            HttpServer server = new HttpServer(new Router().get("/", r -> Response.text(200, "up\n")), ServerConfig.DEFAULT);
            long t0 = System.nanoTime();
            Task<Integer> serving = group.spawn("server", () -> server.serve(listener));
            try {
                return ThreadPool.runInThread(() -> {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        s.getInputStream().readAllBytes();
                        return (System.nanoTime() - t0) / 1000;
                    }
                });
            } finally {
                server.shutdown();
                serving.join();
            }
        }));
    }

    /** One server in a fresh run, one request whose handler waits in a pool call, one reset. */
    private static long resetToFinallyMicros() throws Exception {
        CountDownLatch started = new CountDownLatch(1), jobEnded = new CountDownLatch(1);
        AtomicLong finallyAt = new AtomicLong();
        try (ThreadPool pool = new ThreadPool("db", 1)) {
            Handler slow = r -> {
                try {
                    return pool.call(() -> {
                        started.countDown();
                        try {
                            Thread.sleep(60_000);
                        } finally {
                            jobEnded.countDown();
                        }
                        return Response.text(200, "late\n");
                    }, true);
                } finally {
                    finallyAt.set(System.nanoTime());
                }
            };
            long resetAt = Xiio.run(() -> TaskGroup.scope(group -> {
                TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
                int port = listener.localAddress().getPort();
                HttpServer server = new HttpServer(new Router().get("/slow", slow), ServerConfig.DEFAULT);
                Task<Integer> serving = group.spawn("server", () -> server.serve(listener));
                try {
                    return ThreadPool.runInThread(() -> {
                        try (Socket s = new Socket("127.0.0.1", port)) {
                            s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                            if (!started.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the handler never started");
                            Thread.sleep(50); // the server's watch waits by now
                            s.setSoLinger(true, 0);
                            long t = System.nanoTime();
                            s.close();
                            if (!jobEnded.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the pool job was not interrupted");
                            return t;
                        }
                    });
                } finally {
                    server.shutdown();
                    serving.join();
                }
            }));
            return (finallyAt.get() - resetAt) / 1000;
        }
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
