package xiio.http.server;

import java.net.InetSocketAddress;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;
import xiio.net.TcpListener;
import xiio.thread.ThreadPool;
import xiio.tls.TlsConfig;

/** Runs a server on 127.0.0.1 in a run of its own while a blocking client works on a pool thread. */
final class ServerFixture {
    private ServerFixture() {}

    /** The client: plain blocking code (curl, python, the JDK's HttpClient) given the port. */
    @FunctionalInterface
    interface Client<T> {
        T run(int port) throws Exception;
    }

    static <T> T withServer(Handler handler, ServerConfig config, Client<T> client) throws Exception {
        return withServer(new HttpServer(handler, config), null, client);
    }

    /** {@code server} serving HTTPS with {@code tls} (plain HTTP when null) while {@code client} runs. */
    static <T> T withServer(HttpServer server, TlsConfig tls, Client<T> client) throws Exception {
        return Xiio.run(() -> TaskGroup.scope(group -> {
            TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = listener.localAddress().getPort();
            Task<Integer> serving = group.spawn("server", () -> server.serve(listener, tls));
            try {
                return ThreadPool.runInThread(() -> client.run(port));
            } finally {
                server.shutdown();
                serving.join();
            }
        }));
    }
}
