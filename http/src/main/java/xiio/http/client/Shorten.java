package xiio.http.client;

/** What an error message shows of a line a server sent: printable, and at most 60 characters. */
final class Shorten {
    private Shorten() {}

    static String of(String s) {
        StringBuilder b = new StringBuilder("'");
        int i = 0;
        for (; i < s.length() && b.length() <= 60; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f) b.append(String.format("\\x%02x", (int) c & 0xff));
            else b.append(c);
        }
        return b.append(i < s.length() ? "...'" : "'").toString();
    }
}
