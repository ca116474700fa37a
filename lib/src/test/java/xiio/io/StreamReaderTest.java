package xiio.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;

class StreamReaderTest {

    static void put(Pipe p, String s) throws Exception {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.writer().writeAll(b, 0, b.length);
    }

    @Test
    void linesSplitAcrossReadsAndCrLfEndings() throws Exception {
        List<String> lines = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                StreamReader r = new StreamReader(p.reader(), 4); // tiny buffer: lines span many reads
                return TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        for (String part : new String[] {"fir", "st\r\nsecond li", "ne\n", "", "tail"}) {
                            put(p, part);
                            Xiio.sleep(Duration.ofMillis(2));
                        }
                        p.writer().close();
                        return null;
                    });
                    List<String> out = new ArrayList<>();
                    for (String line; (line = r.readLine(100)) != null; ) out.add(line);
                    return out;
                });
            }
        });
        assertEquals(List.of("first", "second line", "tail"), lines);
    }

    @Test
    void aLineLongerThanTheLimitIsAnErrorAndLosesNothing() throws Exception {
        List<String> got = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                put(p, "0123456789abcdef\nshort\n");
                StreamReader r = new StreamReader(p.reader(), 4);
                LimitExceededException e = assertThrows(LimitExceededException.class, () -> r.readLine(10));
                assertEquals(10, e.limit());
                assertTrue(e.getMessage().contains("no line end within 10 bytes"), e.getMessage());
                // nothing was consumed: a larger limit reads the same line
                return List.of(r.readLine(16), r.readLine(10));
            }
        });
        assertEquals(List.of("0123456789abcdef", "short"), got);
    }

    @Test
    void theLimitCountsBytesBeforeTheLineEnd() throws Exception {
        String got = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                put(p, "12345\n");
                return new StreamReader(p.reader()).readLine(5);
            }
        });
        assertEquals("12345", got);
    }

    @Test
    void endOfStreamInTheMiddleOfAnExactReadSaysHowManyArrived() throws Exception {
        Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                put(p, "abc");
                p.writer().close();
                StreamReader r = new StreamReader(p.reader());
                EOFException e = assertThrows(EOFException.class, () -> r.readExactly(10));
                assertTrue(e.getMessage().contains("after 3 of 10 bytes"), e.getMessage());
                // the three bytes are still there
                assertEquals(3, r.buffered());
                assertArrayEquals("abc".getBytes(), r.readExactly(3));
                assertEquals(-1, r.read(new byte[1], 0, 1));
                return null;
            }
        });
    }

    @Test
    void aCancelledExactReadLosesNoBytes() throws Exception {
        byte[] got = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                StreamReader r = new StreamReader(p.reader(), 4);
                put(p, "0123456");
                byte[] target = new byte[10];
                // 7 of 10 bytes arrive (more than the buffer), then the timeout cancels the read
                assertNull(Timeout.withTimeoutOrNull(Duration.ofMillis(20), () -> {
                    r.readExactly(target, 0, 10);
                    return "done";
                }));
                assertEquals(7, r.buffered());
                put(p, "789");
                return r.readExactly(10);
            }
        });
        assertArrayEquals("0123456789".getBytes(), got);
    }

    @Test
    void aLargeExactReadGoesStraightIntoTheCallersArray() throws Exception {
        byte[] got = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                return TaskGroup.scope(g -> {
                    byte[] data = new byte[200_000];
                    for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
                    g.spawn(() -> {
                        p.writer().writeAll(data, 0, data.length);
                        return null;
                    });
                    byte[] out = new StreamReader(p.reader(), 16).readExactly(data.length);
                    assertArrayEquals(data, out);
                    return new byte[] {1};
                });
            }
        });
        assertArrayEquals(new byte[] {1}, got);
    }

    @Test
    void aCancelledLineReadLosesNoBytes() throws Exception {
        String got = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                StreamReader r = new StreamReader(p.reader());
                put(p, "half a ");
                assertNull(Timeout.withTimeoutOrNull(Duration.ofMillis(20), () -> r.readLine(100)));
                put(p, "line\n");
                return r.readLine(100);
            }
        });
        assertEquals("half a line", got);
    }

    @Test
    void readUntilFindsAMultiByteDelimiterAcrossReads() throws Exception {
        List<String> got = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                StreamReader r = new StreamReader(p.reader(), 3);
                byte[] delim = "\r\n\r\n".getBytes();
                return TaskGroup.scope(g -> {
                    g.spawn(() -> {
                        for (String part : new String[] {"HEAD\r", "\n", "\r", "\nBODY\r\n\r\n", "rest"}) {
                            put(p, part);
                            Xiio.sleep(Duration.ofMillis(2));
                        }
                        p.writer().close();
                        return null;
                    });
                    String a = new String(r.readUntil(delim, 100));
                    String b = new String(r.readUntil(delim, 100));
                    EOFException e = assertThrows(EOFException.class, () -> r.readUntil(delim, 100));
                    assertTrue(e.getMessage().contains("4 bytes without the delimiter"), e.getMessage());
                    String rest = new String(r.readExactly(4));
                    return List.of(a, b, rest, String.valueOf(r.readUntil(delim, 100)));
                });
            }
        });
        assertEquals(List.of("HEAD\r\n\r\n", "BODY\r\n\r\n", "rest", "null"), got);
    }

    @Test
    void readUntilRespectsItsLimitAndKeepsTheBytes() throws Exception {
        String got = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                put(p, "abcdefgh;");
                StreamReader r = new StreamReader(p.reader());
                assertThrows(LimitExceededException.class, () -> r.readUntil(new byte[] {';'}, 7));
                return new String(r.readUntil(new byte[] {';'}, 8));
            }
        });
        assertEquals("abcdefgh;", got);
    }

    @Test
    void readServesTheBufferFirst() throws Exception {
        List<String> got = Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                put(p, "line\nrest");
                StreamReader r = new StreamReader(p.reader());
                String line = r.readLine(10);
                byte[] buf = new byte[100];
                int n = r.read(buf, 0, buf.length);
                return List.of(line, new String(buf, 0, n));
            }
        });
        assertEquals(List.of("line", "rest"), got);
    }

    @Test
    void badArgumentsAreRejected() throws Exception {
        Xiio.run(() -> {
            try (Pipe p = Pipe.open()) {
                StreamReader r = new StreamReader(p.reader());
                assertThrows(IllegalArgumentException.class, () -> r.readExactly(-1));
                assertThrows(IllegalArgumentException.class, () -> r.readLine(-1));
                assertThrows(IllegalArgumentException.class, () -> r.readUntil(new byte[0], 10));
                assertThrows(IllegalArgumentException.class, () -> new StreamReader(p.reader(), 0));
                return null;
            }
        });
    }
}
