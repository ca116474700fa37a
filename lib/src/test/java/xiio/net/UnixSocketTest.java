package xiio.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.io.StreamReader;

class UnixSocketTest {

    static String echo(UnixAddress address) throws Exception {
        return Xiio.run(() -> {
            try (UnixListener listener = UnixListener.bind(address)) {
                return TaskGroup.scope(g -> {
                    g.spawn("server", () -> {
                        try (UnixStream conn = listener.accept()) {
                            assertTrue(conn.remoteAddress().isUnnamed(), conn.remoteAddress().toString());
                            byte[] buf = new byte[64];
                            for (int n; (n = conn.read(buf, 0, buf.length)) > 0; ) conn.writeAll(buf, 0, n);
                        }
                        return null;
                    });
                    try (UnixStream client = UnixStream.connect(address)) {
                        assertEquals(address, client.remoteAddress());
                        client.writeAll("over unix\n".getBytes(), 0, 10);
                        client.shutdownOutput();
                        return new StreamReader(client).readLine(100);
                    }
                });
            }
        });
    }

    @Test
    void echoesOverAPathAndDeletesTheFileOnClose(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("echo.sock");
        assertEquals("over unix", echo(UnixAddress.of(sock)));
        assertFalse(Files.exists(sock), "the listener deletes its socket file");
        assertEquals("over unix", echo(UnixAddress.of(sock)), "the path can be bound again");
    }

    @Test
    void echoesOverAnAbstractName() throws Exception {
        assertEquals("over unix", echo(UnixAddress.ofAbstract("xiio-test-" + ProcessHandle.current().pid())));
    }

    @Test
    void theListenerKnowsItsAddress() throws Exception {
        UnixAddress name = UnixAddress.ofAbstract("xiio-addr-" + ProcessHandle.current().pid());
        List<Object> got = Xiio.run(() -> {
            try (UnixListener l = UnixListener.bind(name); UnixStream c = UnixStream.connect(name); UnixStream s = l.accept()) {
                return List.of(l.localAddress(), s.localAddress(), c.localAddress().isUnnamed());
            }
        });
        assertEquals(List.of(name, name, true), got);
        assertEquals("@xiio-addr-" + ProcessHandle.current().pid(), name.toString());
    }

    @Test
    void aTakenNameIsAddressInUse() throws Exception {
        UnixAddress name = UnixAddress.ofAbstract("xiio-busy-" + ProcessHandle.current().pid());
        BindException e = assertThrows(BindException.class, () -> Xiio.run(() -> {
            try (UnixListener a = UnixListener.bind(name); UnixListener b = UnixListener.bind(name)) {
                return null;
            }
        }));
        assertTrue(e.getMessage().contains("@xiio-busy-"), e.getMessage());
        assertTrue(e.getMessage().contains("EADDRINUSE"), e.getMessage());
    }

    @Test
    void connectingToAMissingPathNamesIt(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nobody.sock");
        SocketException e = assertThrows(SocketException.class,
                () -> Xiio.run(() -> UnixStream.connect(UnixAddress.of(missing))));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
    }

    @Test
    void connectingToAnAbstractNameNobodyListensOnIsRefused() throws Exception {
        IOException e = assertThrows(IOException.class,
                () -> Xiio.run(() -> UnixStream.connect(UnixAddress.ofAbstract("xiio-nobody-" + ProcessHandle.current().pid()))));
        assertTrue(e.getMessage().contains("ECONNREFUSED"), e.getMessage());
    }

    @Test
    void namesThatDoNotFitAreRejected() {
        String longName = "x".repeat(108);
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.ofAbstract(longName));
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.of(Path.of("/tmp/" + longName)));
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.ofAbstract(""));
    }
}
