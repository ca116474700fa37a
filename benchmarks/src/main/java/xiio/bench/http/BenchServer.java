package xiio.bench.http;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers the HTTP benchmark loads, and the command that starts each in a fresh
 * JVM (this runner's java, this runner's class path, the project's JVM flags). The
 * one-core servers run pinned to CPU 0 with wrk on CPU 1; the two multi-core rows run
 * the xiio server on both CPUs, with one loop and with two ({@code --loops 2}), and
 * wrk shares those CPUs with them. xiio's rows name their poller with
 * {@code -Dxiio.poller}; whether a ring was really held is read from the server's
 * fds ({@link xiio.bench.PollerProbe}).
 */
enum BenchServer {
    XIIO_CONTINUATION("xiio-cont", "xiio http server, continuation backend, epoll", "epoll", 1),
    XIIO_VTHREAD("xiio-vthread", "xiio http server, virtual-thread backend, epoll", "epoll", 1),
    XIIO_URING("xiio-uring", "xiio http server, continuation backend, io_uring", "io_uring", 1),
    NETTY_EPOLL("netty-epoll", "Netty 4.2 HTTP codec, native epoll, 1 event loop", "epoll", 0),
    NETTY_NIO("netty-nio", "Netty 4.2 HTTP codec, NIO, 1 event loop", "epoll", 0),
    NETTY_URING("netty-uring", "Netty 4.2 HTTP codec, io_uring, 1 event loop", "io_uring", 0),
    HELIDON("helidon", "Helidon SE 4.5 WebServer, a virtual thread per connection", "epoll", 0),
    JDK_HTTP("jdk-http", "JDK com.sun.net.httpserver, a virtual thread per exchange", "epoll", 0),
    XIIO_2CPU_1LOOP("xiio-2cpu-1loop", "xiio http server, continuation backend, epoll, 1 loop, on 2 CPUs shared with wrk", "epoll", 1),
    XIIO_2CPU_2LOOPS("xiio-2cpu-2loops", "xiio http server, continuation backend, epoll, `--loops 2`, on 2 CPUs shared with wrk", "epoll", 2);

    /** The same flags every JVM of the project runs with (xiio.jvm.flags in pom.xml). */
    static final List<String> JVM_FLAGS = List.of(
            "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED");

    /** What a run loads unless told otherwise: the peers, xiio on both backends and both pollers, the multi-core pair. */
    static final List<BenchServer> DEFAULT = List.of(XIIO_CONTINUATION, XIIO_VTHREAD, XIIO_URING, NETTY_EPOLL, HELIDON, JDK_HTTP,
            XIIO_2CPU_1LOOP, XIIO_2CPU_2LOOPS);

    final String id;
    final String description;
    /** The kernel poller the server is meant to run on. */
    final String poller;
    /** xiio's loop count (1 or 2); 0 for the peers. */
    final int loops;

    BenchServer(String id, String description, String poller, int loops) {
        this.id = id;
        this.description = description;
        this.poller = poller;
        this.loops = loops;
    }

    /** Whether this row runs on both CPUs, shared with wrk, rather than alone on CPU 0. */
    boolean multiCore() {
        return this == XIIO_2CPU_1LOOP || this == XIIO_2CPU_2LOOPS;
    }

    boolean isXiio() {
        return loops > 0;
    }

    /** The command line that starts this server on a free port; {@code jvmFlags} go first (smoke runs: C1 only). */
    List<String> command(List<String> jvmFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(jvmFlags);
        switch (this) {
            case XIIO_VTHREAD -> cmd.add("-Dxiio.backend=vthread");
            case XIIO_CONTINUATION, XIIO_URING, XIIO_2CPU_1LOOP, XIIO_2CPU_2LOOPS -> cmd.add("-Dxiio.backend=continuation");
            default -> { }
        }
        if (isXiio()) cmd.add("-Dxiio.poller=" + poller);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        switch (this) {
            case XIIO_CONTINUATION, XIIO_VTHREAD, XIIO_URING, XIIO_2CPU_1LOOP -> cmd.addAll(List.of("xiio.examples.Main", "http", "--port", "0"));
            case XIIO_2CPU_2LOOPS -> cmd.addAll(List.of("xiio.examples.Main", "http", "--port", "0", "--loops", "2"));
            case NETTY_EPOLL -> cmd.addAll(List.of(NettyHttpHelloServer.class.getName(), "--port", "0", "--transport", "epoll"));
            case NETTY_NIO -> cmd.addAll(List.of(NettyHttpHelloServer.class.getName(), "--port", "0", "--transport", "nio"));
            case NETTY_URING -> cmd.addAll(List.of(NettyHttpHelloServer.class.getName(), "--port", "0", "--transport", "io_uring"));
            case HELIDON -> cmd.addAll(List.of(HelidonHelloServer.class.getName(), "--port", "0"));
            case JDK_HTTP -> cmd.addAll(List.of(JdkHttpHelloServer.class.getName(), "--port", "0"));
        }
        return cmd;
    }

    /** The command line that starts this server on a free port. */
    List<String> command() {
        return command(List.of());
    }

    /** The server named {@code id}, as {@code --servers} spells it. */
    static BenchServer byId(String id) {
        for (BenchServer s : values()) {
            if (s.id.equals(id)) return s;
        }
        throw new IllegalArgumentException("unknown server '" + id + "'; known: " + ids());
    }

    static String ids() {
        return String.join(",", java.util.Arrays.stream(values()).map(s -> s.id).toList());
    }
}
