package xiio.bench.http;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers the HTTP benchmark loads, and the command that starts each in a fresh
 * JVM (this runner's java, this runner's class path, the project's JVM flags).
 */
enum BenchServer {
    XIIO_CONTINUATION("xiio-cont", "xiio http example, continuation backend"),
    XIIO_VTHREAD("xiio-vthread", "xiio http example, virtual-thread backend"),
    NETTY_EPOLL("netty-epoll", "Netty 4.2, native epoll, 1 event loop"),
    NETTY_NIO("netty-nio", "Netty 4.2, NIO, 1 event loop");

    /** The same flags every JVM of the project runs with (xiio.jvm.flags in pom.xml). */
    static final List<String> JVM_FLAGS = List.of(
            "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED");

    final String id;
    final String description;

    BenchServer(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The command line that starts this server on a free port. */
    List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        switch (this) {
            case XIIO_CONTINUATION -> cmd.add("-Dxiio.backend=continuation");
            case XIIO_VTHREAD -> cmd.add("-Dxiio.backend=vthread");
            default -> { }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        switch (this) {
            case XIIO_CONTINUATION, XIIO_VTHREAD -> cmd.addAll(List.of("xiio.examples.Main", "http", "--port", "0"));
            case NETTY_EPOLL -> cmd.addAll(List.of(NettyHttpHelloServer.class.getName(), "--port", "0", "--transport", "epoll"));
            case NETTY_NIO -> cmd.addAll(List.of(NettyHttpHelloServer.class.getName(), "--port", "0", "--transport", "nio"));
        }
        return cmd;
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
