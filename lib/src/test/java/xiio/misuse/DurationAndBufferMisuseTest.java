package xiio.misuse;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import xiio.concurrent.Timeout;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.io.Pipe;
import xiio.io.StreamReader;
import xiio.io.StreamWriter;
import xiio.support.TestPipe;

/**
 * Bad durations (negative, missing, too long for nanoseconds) and bad buffer ranges
 * and sizes.
 */
class DurationAndBufferMisuseTest extends MisuseTable {
    static Stream<Row> rows() {
        return Stream.concat(durations(), buffers());
    }

    static Stream<Row> durations() {
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        return Stream.of(
                inside("sleep for a negative duration", IllegalArgumentException.class,
                        "negative duration PT-0.001S: a delay must be zero or more", () -> sleep(Duration.ofMillis(-1))),
                inside("Timeout with a negative limit", IllegalArgumentException.class,
                        "negative duration PT-1S: a delay must be zero or more",
                        () -> Timeout.withTimeout(Duration.ofSeconds(-1), () -> "body")),
                inside("Condition.after a negative delay", IllegalArgumentException.class,
                        "negative duration PT-0.000000001S: a delay must be zero or more", () -> Condition.after(Duration.ofNanos(-1))),
                inside("sleep without a duration", NullPointerException.class, "delay", () -> sleep(null)),
                inside("sleep for a duration too long for nanoseconds: never ends, a timeout cuts it",
                        TimeoutException.class, "timed out after PT0.01S",
                        () -> Timeout.withTimeout(Duration.ofMillis(10), () -> sleep(forever))),
                inside("Condition.after an overflowing delay: never fulfilled, a timeout cuts it",
                        TimeoutException.class, "timed out after PT0.01S",
                        () -> Timeout.withTimeout(Duration.ofMillis(10), () -> await(Condition.after(Duration.ofNanos(Long.MAX_VALUE))))),
                returns("Timeout with an overflowing limit: no limit", "body",
                        () -> Timeout.withTimeout(forever, () -> {
                            Xiio.sleep(Duration.ofMillis(1));
                            return "body";
                        })));
    }

    static Stream<Row> buffers() {
        byte[] buf = new byte[16];
        return Stream.of(
                returns("Xiio.read into zero bytes: 0 at once, even with nothing to read", 0, () -> {
                    try (TestPipe p = new TestPipe()) {
                        return Xiio.read(p.readFd, new byte[0]);
                    }
                }),
                returns("Xiio.write of zero bytes: 0 at once", 0, () -> {
                    try (TestPipe p = new TestPipe()) {
                        return Xiio.write(p.writeFd, buf, 16, 0);
                    }
                }),
                inside("Xiio.read at a negative offset", IndexOutOfBoundsException.class,
                        "Range [-1, -1 + 4) out of bounds for length 16", () -> {
                    try (TestPipe p = new TestPipe()) {
                        return Xiio.read(p.readFd, buf, -1, 4);
                    }
                }),
                inside("Xiio.write past the end of the array", IndexOutOfBoundsException.class,
                        "Range [10, 10 + 10) out of bounds for length 16", () -> {
                    try (TestPipe p = new TestPipe()) {
                        Xiio.writeAll(p.writeFd, buf, 10, 10);
                        return null;
                    }
                }),
                inside("Xiio.read of a huge length into a small array", IndexOutOfBoundsException.class,
                        "Range [0, 0 + 2147483647) out of bounds for length 16", () -> {
                    try (TestPipe p = new TestPipe()) {
                        return Xiio.read(p.readFd, buf, 0, Integer.MAX_VALUE);
                    }
                }),
                inside("stream read at an offset past the end", IndexOutOfBoundsException.class,
                        "Range [17, 17 + 1) out of bounds for length 16", () -> {
                    try (Pipe p = Pipe.open()) {
                        return p.reader().read(buf, 17, 1);
                    }
                }),
                inside("StreamReader with a zero buffer size", IllegalArgumentException.class,
                        "bufferSize must be at least 1, got 0", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamReader(p.reader(), 0);
                    }
                }),
                inside("StreamReader with a huge buffer size", IllegalArgumentException.class,
                        "bufferSize 2147483647 is more than the largest byte array", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamReader(p.reader(), Integer.MAX_VALUE);
                    }
                }),
                inside("StreamReader.readExactly a negative count", IllegalArgumentException.class,
                        "n must not be negative, got -1", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamReader(p.reader()).readExactly(-1);
                    }
                }),
                inside("StreamReader.readExactly past the end of the array", IndexOutOfBoundsException.class,
                        "Range [8, 8 + 9) out of bounds for length 16", () -> {
                    try (Pipe p = Pipe.open()) {
                        new StreamReader(p.reader()).readExactly(buf, 8, 9);
                        return null;
                    }
                }),
                inside("StreamReader.readLine with a negative limit", IllegalArgumentException.class,
                        "maxLength must not be negative, got -5", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamReader(p.reader()).readLine(-5);
                    }
                }),
                inside("StreamWriter with a zero limit", IllegalArgumentException.class,
                        "limit must be at least 1 byte, got 0", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamWriter(p.writer(), 0);
                    }
                }),
                inside("StreamWriter with a huge limit", IllegalArgumentException.class,
                        "limit 2147483647 is more than the largest byte array", () -> {
                    try (Pipe p = Pipe.open()) {
                        return new StreamWriter(p.writer(), Integer.MAX_VALUE);
                    }
                }),
                inside("StreamWriter.writeAll at a negative length", IndexOutOfBoundsException.class,
                        "Range [0, 0 + -1) out of bounds for length 16", () -> {
                    try (Pipe p = Pipe.open()) {
                        new StreamWriter(p.writer()).writeAll(buf, 0, -1);
                        return null;
                    }
                }));
    }
}
