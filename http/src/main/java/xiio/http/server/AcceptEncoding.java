package xiio.http.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which of the content codings we have a file for the client takes ({@code
 * Accept-Encoding}, RFC 9110 section 12.5.3): a coding listed with a weight above 0,
 * or covered by {@code *} when not listed itself. Weights only say yes or no here:
 * our order of preference (smallest first: {@code br}, then {@code gzip}) decides
 * between acceptable ones, as servers commonly do.
 */
final class AcceptEncoding {
    /** The codings a precompressed sibling can have, best first, with the file suffix of each. */
    static final List<String> OFFERED = List.of("br", "gzip");

    private AcceptEncoding() {}

    /** The suffix of a file precompressed with {@code coding}. */
    static String suffix(String coding) {
        return coding.equals("br") ? ".br" : ".gz";
    }

    /** The codings of {@link #OFFERED} that {@code fieldValues} (every Accept-Encoding line) accepts, in our order. */
    static List<String> acceptable(List<String> fieldValues) {
        if (fieldValues.isEmpty()) return List.of();
        List<String> yes = new ArrayList<>(), no = new ArrayList<>();
        boolean star = false;
        for (String value : fieldValues) {
            for (String element : value.split(",")) {
                String[] parts = element.split(";");
                String coding = parts[0].strip().toLowerCase(Locale.ROOT);
                if (coding.isEmpty()) continue;
                if (coding.equals("x-gzip")) coding = "gzip"; // section 12.5.3: the same coding
                boolean accepted = weight(parts) > 0;
                if (coding.equals("*")) star = accepted;
                else (accepted ? yes : no).add(coding);
            }
        }
        List<String> result = new ArrayList<>();
        for (String c : OFFERED) if (yes.contains(c) || star && !no.contains(c)) result.add(c);
        return result;
    }

    /** The {@code q} of an element's parameters: 1 when absent, 0 when it does not parse (a client that garbles it gets the plain file). */
    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.length() >= 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(p.substring(2).strip());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
