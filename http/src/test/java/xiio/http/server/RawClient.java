package xiio.http.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand on a blocking socket, for what real clients never send:
 * smuggling attempts, oversized or trickled heads, pipelined batches. Its response
 * reader is its own (not the module's parser, which it checks). Reads time out after
 * 10 s, so a test cannot hang on a server that says nothing.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** One response; header names in lower case. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.getFirst();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    RawClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Reads one response; its body by Content-Length or chunked (none for HEAD, 1xx, 204, 304). */
    Answer read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) throw new IOException("the server closed the connection instead of answering");
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not a status line: " + statusLine);
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h; !(h = line()).isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.computeIfAbsent(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.substring(colon + 1).strip());
        }
        Answer a = new Answer(status, headers, new byte[0]);
        if (head || status < 200 || status == 204 || status == 304) return a;
        if ("chunked".equals(a.header("transfer-encoding"))) return new Answer(status, headers, chunked());
        if (a.header("content-length") != null) return new Answer(status, headers, in.readNBytes(Integer.parseInt(a.header("content-length"))));
        return new Answer(status, headers, in.readAllBytes());
    }

    Answer read() throws IOException {
        return read(false);
    }

    /** Whether the server closes the connection (end of stream or reset) before the read timeout, with nothing more sent. */
    boolean closedByServer() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) throw new IOException("the server sent more: " + (char) b + new String(in.readNBytes(in.available()), StandardCharsets.ISO_8859_1));
            return true;
        } catch (SocketException reset) {
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    Socket socket() {
        return socket;
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
            if (n == 0) break;
            body.write(in.readNBytes(n));
            line();
        }
        while (!line().isEmpty()) {
            // trailers: not checked here
        }
        return body.toByteArray();
    }

    /** A line without its CRLF; null at end of stream. */
    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
