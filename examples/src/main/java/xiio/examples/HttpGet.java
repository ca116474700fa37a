package xiio.examples;

import xiio.http.BodyFraming;
import xiio.http.BodyReader;
import xiio.http.HttpHeadParser;
import xiio.http.HttpResponseHead;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import xiio.io.ByteStream;
import xiio.io.StreamReader;
import xiio.net.TcpStream;
import xiio.tls.TlsConfig;
import xiio.tls.TlsStream;

/**
 * One HTTP/1.1 GET on a connection of its own ({@code Connection: close}): connect,
 * send the request, read the status line and headers ({@link HttpHeadParser}), then the
 * body as framed ({@link BodyReader}), counting its bytes and keeping none. There is
 * no timeout here: the caller's cancel scope is the limit, and cancelling closes
 * the connection.
 */
final class HttpGet {
    private HttpGet() {}

    /** The status, and how many body bytes arrived. */
    record Result(int status, String reason, long bodyBytes) {}

    /**
     * GETs {@code uri} ({@code http} or {@code https}; {@code tls} is used for https).
     *
     * @throws IllegalArgumentException if it is not an http(s) URL with a host
     * @throws IOException if connecting fails or the response is malformed
     */
    static Result get(URI uri, TlsConfig tls) throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (!https && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http:// or https:// URL with a host");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();

        try (TcpStream tcp = TcpStream.connect(host, port)) {
            tcp.setNoDelay(true);
            ByteStream conn = https ? TlsStream.client(tcp, host, tls) : tcp;
            try (conn) {
                String hostHeader = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
                byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: xiio-fetch\r\n"
                        + "Accept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
                conn.writeAll(request, 0, request.length);
                return readResponse(new StreamReader(conn, 16 * 1024));
            }
        }
    }

    private static Result readResponse(StreamReader in) throws IOException {
        HttpHeadParser parser = new HttpHeadParser(8192, 64 * 1024, 256);
        while (true) {
            HttpResponseHead head = parser.readResponse(in);
            if (head.isInterim()) continue; // an interim answer (100 Continue, 103 Early Hints): the real one follows
            BodyFraming framing = BodyFraming.ofResponse(head.status(), "GET", head.headers());
            long bytes = new BodyReader(in, framing, Long.MAX_VALUE).discard();
            return new Result(head.status(), head.reason(), bytes);
        }
    }
}
