package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the guide honest: every {@code java} block in {@code docs/guide*.md} must be
 * followed by a line naming the test region it comes from ("Runs in
 * [`GuideCoreTest#sleep`](...)"), and must equal that region of the test, line for
 * line after removing the region's common indentation. The test itself runs the code.
 * Every region must also be shown somewhere, so none goes stale unseen.
 */
class GuideSnippetsTest {
    private static final Pattern MARKER = Pattern.compile("Runs in \\[`(Guide\\w+)#([\\w-]+)`\\]");
    private static final Pattern REGION = Pattern.compile("^\\s*// region ([\\w-]+)\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// endregion\\s*$");

    record Block(Path file, int line, List<String> code, String testClass, String region) {}

    @Test
    void everyGuideSnippetIsATestedRegion() throws IOException {
        Path root = repositoryRoot();
        Path tests = root.resolve("examples/src/test/java/xiio/docs");
        List<Block> blocks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            for (Path md : docs.filter(p -> p.getFileName().toString().matches("guide.*\\.md")).sorted().toList()) {
                blocks.addAll(javaBlocks(md, problems));
            }
        }
        assertTrue(blocks.size() > 20, "found only " + blocks.size() + " snippets: is the marker format still the same?");
        Map<String, Map<String, List<String>>> regionsByClass = new LinkedHashMap<>();
        TreeSet<String> unshown = new TreeSet<>();
        try (Stream<Path> files = Files.list(tests)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("Guide\\w+Test\\.java")).toList()) {
                String cls = f.getFileName().toString().replace(".java", "");
                Map<String, List<String>> regions = regions(f, problems);
                regionsByClass.put(cls, regions);
                for (String r : regions.keySet()) unshown.add(cls + "#" + r);
            }
        }
        for (Block b : blocks) {
            String where = root.relativize(b.file()) + ":" + b.line();
            List<String> region = regionsByClass.getOrDefault(b.testClass(), Map.of()).get(b.region());
            if (region == null) {
                problems.add(where + ": no region '" + b.region() + "' in " + b.testClass());
                continue;
            }
            unshown.remove(b.testClass() + "#" + b.region());
            if (!region.equals(b.code())) {
                problems.add(where + ": differs from " + b.testClass() + "#" + b.region() + "\n--- guide\n"
                        + String.join("\n", b.code()) + "\n--- test\n" + String.join("\n", region));
            }
        }
        for (String r : unshown) problems.add("region " + r + " is not shown in any guide chapter");
        assertEquals(List.of(), problems, String.join("\n\n", problems));
    }

    /** The java blocks of one chapter with the marker line that follows each. */
    private static List<Block> javaBlocks(Path md, List<String> problems) throws IOException {
        List<String> lines = Files.readAllLines(md);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```java")) continue;
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).equals("```")) end++;
            String next = end + 1 < lines.size() ? lines.get(end + 1) : "";
            Matcher m = MARKER.matcher(next);
            if (!m.find()) {
                problems.add(md.getFileName() + ":" + (i + 1) + ": java block without a 'Runs in [`GuideXTest#region`]' line after it");
            } else {
                out.add(new Block(md, i + 1, List.copyOf(lines.subList(start, end)), m.group(1), m.group(2)));
            }
            i = end;
        }
        return out;
    }

    /** The regions of one test file, each without its common indentation. */
    private static Map<String, List<String>> regions(Path file, List<String> problems) throws IOException {
        List<String> lines = Files.readAllLines(file);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = REGION.matcher(lines.get(i));
            if (!m.matches()) continue;
            int end = i + 1;
            while (end < lines.size() && !END.matcher(lines.get(end)).matches()) end++;
            if (end == lines.size()) problems.add(file.getFileName() + ":" + (i + 1) + ": region without // endregion");
            if (out.put(m.group(1), dedent(lines.subList(i + 1, end))) != null) {
                problems.add(file.getFileName() + ": region '" + m.group(1) + "' twice");
            }
            i = end;
        }
        return out;
    }

    private static List<String> dedent(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (l.isBlank()) continue;
            int n = 0;
            while (n < l.length() && l.charAt(n) == ' ') n++;
            indent = Math.min(indent, n);
        }
        List<String> out = new ArrayList<>();
        for (String l : lines) out.add(l.isBlank() ? "" : l.substring(indent));
        return out;
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isDirectory(p.resolve("examples"))) return p;
        }
        throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
    }
}
