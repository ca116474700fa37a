package xiio.examples;

/** Small text helpers of the HTTP examples. */
final class Texts {
    private Texts() {}

    /** The first 60 characters of {@code s}, for messages that quote what a peer sent. */
    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
