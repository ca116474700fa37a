package xiio.bench.echo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers the echo benchmark compares, and the command that starts each on a free
 * port. The xiio rows name their poller with {@code -Dxiio.poller} (epoll or io_uring)
 * rather than trusting a default; whether the server really held a ring is checked
 * from its fds ({@link xiio.bench.PollerProbe}), since a JVM that does not know the
 * property, or a kernel that refuses rings, leaves it on epoll.
 */
enum EchoServerKind {
    XIIO_CONTINUATION("xiio-continuation", "xiio epoll (continuation)", "epoll"),
    XIIO_VTHREAD("xiio-vthread", "xiio epoll (vthread backend)", "epoll"),
    XIIO_URING("xiio-io_uring", "xiio io_uring (continuation)", "io_uring"),
    NETTY_EPOLL("netty-epoll", "Netty epoll", "epoll"),
    NETTY_URING("netty-io_uring", "Netty io_uring", "io_uring"),
    NETTY_NIO("netty-nio", "Netty NIO", "epoll"),
    JDK_VTHREADS("jdk-vthreads", "JDK virtual threads", "epoll"),
    C_EPOLL("c-epoll", "C epoll", "epoll");

    /** The name on the command line ({@code --servers}). */
    final String id;
    /** The name in the table. */
    final String label;
    /** The kernel poller the server is meant to run on: "epoll" or "io_uring". */
    final String poller;

    EchoServerKind(String id, String label, String poller) {
        this.id = id;
        this.label = label;
        this.poller = poller;
    }

    static EchoServerKind byId(String id) {
        for (EchoServerKind k : values()) if (k.id.equals(id)) return k;
        throw new IllegalArgumentException("unknown server " + id + "; known: " + ids());
    }

    static String ids() {
        List<String> ids = new ArrayList<>();
        for (EchoServerKind k : values()) ids.add(k.id);
        return String.join(",", ids);
    }

    /**
     * The command, without pinning, that starts this server listening on a port it picks
     * and prints; {@code jvmFlags} go to the Java servers only.
     */
    List<String> command(Path cServer, List<String> jvmFlags) {
        return switch (this) {
            case XIIO_CONTINUATION, XIIO_URING -> java(jvmFlags, "continuation", poller, "xiio.examples.Main", "echo-server",
                    "--port", "0", "--backend", "continuation");
            case XIIO_VTHREAD -> java(jvmFlags, "vthread", poller, "xiio.examples.Main", "echo-server", "--port", "0",
                    "--backend", "vthread");
            case NETTY_EPOLL, NETTY_NIO, NETTY_URING -> java(jvmFlags, null, null, NettyEchoServer.class.getName(),
                    "--transport", this == NETTY_NIO ? "nio" : poller, "--port", "0");
            case JDK_VTHREADS -> java(jvmFlags, null, null, VirtualThreadEchoServer.class.getName(), "--port", "0");
            case C_EPOLL -> List.of(cServer.toString(), "0");
        };
    }

    /** Whether this is one of xiio's servers, which read {@code -Dxiio.poller}. */
    boolean isXiio() {
        return this == XIIO_CONTINUATION || this == XIIO_VTHREAD || this == XIIO_URING;
    }

    /** This JVM, with the project's flags and this runner's class path, running {@code mainClass}. */
    private static List<String> java(List<String> jvmFlags, String backend, String xiioPoller, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"));
        cmd.addAll(jvmFlags);
        if (backend != null) cmd.add("-Dxiio.backend=" + backend);
        if (xiioPoller != null) cmd.add("-Dxiio.poller=" + xiioPoller);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
