package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps ARCHITECTURE.md's file table true: every main source file of the library has
 * its row under the section of its package ("### `xiio.net`", a row "| `Dns.java` |",
 * a subpackage's files as "| `strand/Backend.java` |"), and every row names a file that
 * exists. {@code module-info.java} is described in the prose below the table instead.
 * The xiio-http module's packages are held to the same rule once they have a section.
 */
class ArchitectureTableTest {
    private static final Pattern SECTION = Pattern.compile("^### `(xiio(?:\\.\\w+)*)`\\s*$");
    private static final Pattern ROW = Pattern.compile("^\\| `([\\w/-]+\\.java)` \\|");

    @Test
    void theFileTableNamesEveryLibrarySourceFileAndNoOther() throws IOException {
        Path root = repositoryRoot();
        Path sources = root.resolve("lib/src/main/java"), http = root.resolve("http/src/main/java");
        TreeSet<String> listed = new TreeSet<>(), sections = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        String section = null;
        List<String> lines = Files.readAllLines(root.resolve("docs/ARCHITECTURE.md"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) section = null;
            Matcher s = SECTION.matcher(line);
            if (s.matches()) sections.add((section = s.group(1)).replace('.', '/'));
            Matcher r = ROW.matcher(line);
            if (!r.find()) continue;
            if (section == null) {
                problems.add("ARCHITECTURE.md:" + (i + 1) + ": a file row outside a package section");
                continue;
            }
            String file = section.replace('.', '/') + "/" + r.group(1);
            if (!listed.add(file)) problems.add("ARCHITECTURE.md:" + (i + 1) + ": " + file + " listed twice");
        }
        assertTrue(listed.size() > 50, "found only " + listed.size() + " rows: is the table format still the same?");
        TreeSet<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(p -> p.toString().endsWith(".java"))
                    .map(p -> sources.relativize(p).toString())
                    .filter(p -> !p.equals("module-info.java"))
                    .forEach(present::add);
        }
        for (String f : present) if (!listed.contains(f)) problems.add("lib/src/main/java/" + f + " has no row in ARCHITECTURE.md");
        try (Stream<Path> files = Files.walk(http)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java")).toList()) {
                String name = http.relativize(f).toString();
                present.add(name);
                boolean hasSection = sections.contains(http.relativize(f.getParent()).toString());
                if (hasSection && !listed.contains(name)) problems.add("http/src/main/java/" + name + " has no row in ARCHITECTURE.md");
            }
        }
        for (String f : listed) if (!present.contains(f)) problems.add("ARCHITECTURE.md names " + f + ", which does not exist");
        assertTrue(String.join("\n", lines).contains("`module-info.java`"), "ARCHITECTURE.md no longer says what module-info.java exports");
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isDirectory(p.resolve("lib"))) return p;
        }
        throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
    }
}
