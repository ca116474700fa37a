package xiio.misuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import xiio.concurrent.TaskGroup;
import xiio.core.Condition;
import xiio.core.Xiio;
import xiio.io.Pipe;
import xiio.io.StreamReader;

/**
 * What every misuse test is: a table with one row per misuse, giving the exact
 * exception type and a fragment of its message (which must name what was wrong). Each
 * row runs, is checked, and is followed by proof that the loop still works in the
 * same run: a sleep, and bytes through a pipe between two tasks. Subclasses supply
 * the rows in a static {@code rows()} method.
 *
 * <p>In fragments, {@code #} stands for any number (fds and ports differ per run).
 */
abstract class MisuseTable {
    static final String EBADF = "EBADF (Bad file descriptor)";

    /** The misuse itself; what it returns matters only for rows that expect a value. */
    @FunctionalInterface
    interface Misuse {
        Object run() throws Exception;
    }

    /** Where the row's misuse happens. */
    enum Where { INSIDE_RUN, OUTSIDE_RUN }

    /**
     * One misuse and what it must give: an exception of exactly {@code expected} whose
     * message contains {@code fragment}, or, when {@code expected} is null, the value
     * {@code fragment} (for sizes and durations whose edge is defined, not an error).
     */
    record Row(String misuse, Where where, Misuse action, Class<? extends Throwable> expected, String fragment) {
        @Override
        public String toString() {
            return misuse;
        }
    }

    static Row inside(String misuse, Class<? extends Throwable> expected, String fragment, Misuse action) {
        return new Row(misuse, Where.INSIDE_RUN, action, expected, fragment);
    }

    static Row outside(String misuse, Class<? extends Throwable> expected, String fragment, Misuse action) {
        return new Row(misuse, Where.OUTSIDE_RUN, action, expected, fragment);
    }

    static Row returns(String misuse, Object value, Misuse action) {
        return new Row(misuse, Where.INSIDE_RUN, action, null, String.valueOf(value));
    }

    // --- the runner -----------------------------------------------------------------

    /** Runs the row's misuse where it belongs, checks what it gave, then that the loop still works. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void misuseFailsClearlyAndTheLoopGoesOn(Row row) throws Exception {
        if (row.where() == Where.INSIDE_RUN) {
            String done = Xiio.run(() -> {
                check(row);
                loopStillWorks();
                return "loop still works";
            });
            assertEquals("loop still works", done);
        } else {
            check(row);
            assertEquals("loop still works", Xiio.run(() -> {
                loopStillWorks();
                return "loop still works";
            }));
        }
    }

    private static void check(Row row) {
        Object value;
        try {
            value = row.action().run();
        } catch (Throwable t) {
            if (row.expected() == null) throw new AssertionError(row + ": expected " + row.fragment() + ", but it threw", t);
            if (t.getClass() != row.expected()) {
                throw new AssertionError(row + ": expected " + row.expected().getName() + ", got " + t, t);
            }
            assertNotNull(t.getMessage(), row + ": no message");
            if (!fragment(row.fragment()).matcher(t.getMessage()).find()) {
                throw new AssertionError(row + ": message does not contain '" + row.fragment() + "': " + t.getMessage(), t);
            }
            return;
        }
        if (row.expected() != null) fail(row + ": expected " + row.expected().getName() + ", but it returned " + value);
        assertEquals(row.fragment(), String.valueOf(value), row.toString());
    }

    /** The fragment as a pattern: literal text, with {@code #} for any number. */
    private static Pattern fragment(String text) {
        return Pattern.compile(Stream.of(text.split("#", -1)).map(Pattern::quote).collect(Collectors.joining("-?\\d+")));
    }

    /** A sleep, and bytes through a pipe from one task to another. */
    private static void loopStillWorks() throws Exception {
        long t0 = System.nanoTime();
        Xiio.sleep(Duration.ofMillis(2));
        assertTrue(System.nanoTime() - t0 >= 2_000_000L, "the sleep ended early");
        try (Pipe p = Pipe.open()) {
            String got = TaskGroup.scope(g -> {
                g.spawn("writer", () -> {
                    Xiio.sleep(Duration.ofMillis(1));
                    p.writer().writeAll("still alive\n".getBytes(), 0, 12);
                    return null;
                });
                return new StreamReader(p.reader()).readLine(100);
            });
            assertEquals("still alive", got);
        }
    }

    // --- helpers for rows -----------------------------------------------------------

    static Object await(Condition c) throws IOException {
        Xiio.await(c);
        return "fulfilled";
    }

    static Object sleep(Duration d) {
        Xiio.sleep(d);
        return "slept";
    }
}
