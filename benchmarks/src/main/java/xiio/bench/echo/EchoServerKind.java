package xiio.bench.echo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The servers the echo benchmark compares, and the command that starts each on a free port. */
enum EchoServerKind {
    XIIO_CONTINUATION("xiio-continuation", "xiio (continuation)"),
    XIIO_VTHREAD("xiio-vthread", "xiio (vthread backend)"),
    NETTY_EPOLL("netty-epoll", "Netty epoll"),
    NETTY_NIO("netty-nio", "Netty NIO"),
    JDK_VTHREADS("jdk-vthreads", "JDK virtual threads"),
    C_EPOLL("c-epoll", "C epoll");

    /** The name on the command line ({@code --servers}). */
    final String id;
    /** The name in the table. */
    final String label;

    EchoServerKind(String id, String label) {
        this.id = id;
        this.label = label;
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
            case XIIO_CONTINUATION -> java(jvmFlags, "continuation", "xiio.examples.Main", "echo-server", "--port", "0",
                    "--backend", "continuation");
            case XIIO_VTHREAD -> java(jvmFlags, "vthread", "xiio.examples.Main", "echo-server", "--port", "0",
                    "--backend", "vthread");
            case NETTY_EPOLL -> java(jvmFlags, null, NettyEchoServer.class.getName(), "--transport", "epoll", "--port", "0");
            case NETTY_NIO -> java(jvmFlags, null, NettyEchoServer.class.getName(), "--transport", "nio", "--port", "0");
            case JDK_VTHREADS -> java(jvmFlags, null, VirtualThreadEchoServer.class.getName(), "--port", "0");
            case C_EPOLL -> List.of(cServer.toString(), "0");
        };
    }

    /** This JVM, with the project's flags and this runner's class path, running {@code mainClass}. */
    private static List<String> java(List<String> jvmFlags, String backend, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"));
        cmd.addAll(jvmFlags);
        if (backend != null) cmd.add("-Dxiio.backend=" + backend);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
