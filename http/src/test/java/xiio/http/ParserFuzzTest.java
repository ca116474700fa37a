package xiio.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xiio.core.Xiio;
import xiio.io.StreamReader;

/**
 * Random and mutated requests and responses through the head parser, the framing and
 * the body reader: nothing may escape but {@link HttpException} and
 * {@link EOFException}, every message ends (the input is finite, so a hang would be a
 * loop that reads nothing: {@link FuzzRun}'s watchdog names the case), and what is
 * kept stays within the limits. 40,000 cases by default, a couple of seconds;
 * {@code -Dxiio.fuzzSeed} and {@code -Dxiio.fuzzScale} for other seeds and longer
 * local runs. Memory against endless input: {@link EndlessInputTest}.
 */
class ParserFuzzTest {
    private static final String[] SEEDS = {
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /a?b=c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: 1\r\n\r\n",
        "OPTIONS * HTTP/1.0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "HTTP/1.0 404 Not Found\r\n\r\nuntil the close",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
    };
    private static final String ALPHABET = "\r\n :;,/?%0123456789abcdefABCDEF\t\0\u00ff-HTTP/1.Content-LengthTransfer-Encodingchunked";

    @Test
    void randomAndMutatedMessagesFailOnlyWithTheDocumentedExceptions() throws Throwable {
        FuzzRun.run("request and response parser", 14L, 40_000, (seed, cases) -> {
            Random random = new Random(seed);
            HttpHeadParser parser = new HttpHeadParser(256, 1024, 20);
            int parsed = 0;
            for (int i = 0; i < cases; i++) {
                String msg = i % 10 == 0 ? randomText(random, 1 + random.nextInt(300)) : mutate(random, SEEDS[random.nextInt(SEEDS.length)]);
                byte[] bytes = msg.getBytes(StandardCharsets.ISO_8859_1);
                int step = 1 + random.nextInt(40);
                boolean response = msg.startsWith("HTTP") || random.nextBoolean() && i % 3 == 0;
                FuzzRun.begin("case " + i + ", step " + step + ": " + escape(msg));
                try {
                    parsed += Xiio.run(() -> parseAll(parser, new StreamReader(new BytesStream(bytes, step), 64), response, bytes.length));
                } catch (HttpException | EOFException expected) {
                    // documented: a malformed message, or one cut short
                } catch (Throwable t) {
                    throw new AssertionError(FuzzRun.where("case " + i + ", step " + step + ": " + escape(msg)), t);
                }
            }
            assertTrue(parsed > cases / 20, "only " + parsed + " messages parsed: is the mutator too rough?");
        });
    }

    /** Every message in the input; how many there were. */
    private static int parseAll(HttpHeadParser parser, StreamReader in, boolean response, int inputLength) throws Exception {
        int n = 0;
        for (int guard = 0; guard <= inputLength; guard++) { // each message takes at least one byte
            BodyFraming framing;
            if (response) {
                HttpResponseHead h = parser.readResponse(in);
                framing = BodyFraming.ofResponse(h.status(), "GET", h.headers());
            } else {
                HttpRequestHead h = parser.readRequest(in);
                if (h == null) return n;
                if (h.headers().size() > 20) throw new AssertionError("more fields than the limit");
                framing = BodyFraming.ofRequest(h.headers());
                if (framing.kind() == BodyFraming.Kind.UNTIL_CLOSE) throw new AssertionError("a request cannot end with the close");
            }
            BodyReader body = new BodyReader(in, framing, 4096);
            long got = body.discard();
            if (got > 4096) throw new AssertionError("read " + got + " bytes over a 4096 limit");
            n++;
            if (framing.kind() == BodyFraming.Kind.UNTIL_CLOSE || response && in.buffered() == 0 && in.read(new byte[1], 0, 1) < 0) return n;
        }
        throw new AssertionError("more messages than bytes: a loop that consumes nothing");
    }

    private static String mutate(Random r, String s) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && !b.isEmpty(); e++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(5)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 2 -> b.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 3 -> b.insert(at, b.substring(at, Math.min(b.length(), at + r.nextInt(30)))); // duplicate a piece
                default -> b.setLength(at); // cut short
            }
        }
        return b.toString();
    }

    private static String randomText(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
}
