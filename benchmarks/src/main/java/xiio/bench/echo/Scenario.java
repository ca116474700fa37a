package xiio.bench.echo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One load shape: {@code connections} ping-ponging {@code size}-byte messages while
 * {@code idle} more connections stay open. Named like {@code c100i10k-64}: c then the
 * active connections, optionally i then the idle ones (k = thousand), then the message
 * size in bytes (k = KiB).
 */
record Scenario(int connections, int size, int idle) {
    private static final Pattern NAME = Pattern.compile("c(\\d+)(?:i(\\d+)(k?))?-(\\d+)(k?)");

    /** The six: 1, 100 and 100 + 10,000 idle connections; 64 B and 16 KiB. */
    static final List<Scenario> FULL = List.of(
            parse("c1-64"), parse("c1-16k"), parse("c100-64"), parse("c100-16k"),
            parse("c100i10k-64"), parse("c100i10k-16k"));
    /** Seconds-long: enough to run every code path (idle set-up, short writes of 16 KiB). */
    static final List<Scenario> SMOKE = List.of(parse("c1-64"), parse("c4i50-16k"));
    /** Where syscalls are broken down by name, and the targets are set. */
    static final Scenario SYSCALLS_FULL = parse("c100-64");
    /** The one scenario whose syscalls a smoke run counts (one of {@link #SMOKE}, so its table has the column). */
    static final Scenario SYSCALLS_SMOKE = parse("c1-64");

    static Scenario parse(String name) {
        Matcher m = NAME.matcher(name.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("scenario " + name + " is not like c100-64, c1-16k or c100i10k-64");
        }
        int idle = m.group(2) == null ? 0 : Integer.parseInt(m.group(2)) * (m.group(3).isEmpty() ? 1 : 1000);
        int size = Integer.parseInt(m.group(4)) * (m.group(5).isEmpty() ? 1 : 1024);
        return new Scenario(Integer.parseInt(m.group(1)), size, idle);
    }

    static List<Scenario> parseList(String names) {
        List<Scenario> list = new ArrayList<>();
        for (String n : names.split(",")) if (!n.isBlank()) list.add(parse(n));
        return list;
    }

    String name() {
        String idlePart = idle == 0 ? "" : "i" + (idle % 1000 == 0 ? idle / 1000 + "k" : Integer.toString(idle));
        return "c" + connections + idlePart + "-" + (size % 1024 == 0 ? size / 1024 + "k" : Integer.toString(size));
    }

    /** For headings: "100 connections + 10,000 idle, 64 B messages". */
    String label() {
        String conns = connections == 1 ? "1 connection" : String.format("%,d connections", connections);
        String idlePart = idle == 0 ? "" : String.format(" + %,d idle", idle);
        String bytes = size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
        return conns + idlePart + ", " + bytes + " messages";
    }
}
