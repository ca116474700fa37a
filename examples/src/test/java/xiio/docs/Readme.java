package xiio.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's README.md, and the code blocks that its tests compile, build and run. */
public final class Readme {
    private Readme() {}

    /** The repository root: the directory above this one with README.md and examples/. */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("examples"))) return p;
        }
        throw new IllegalStateException("cannot find README.md above " + Path.of("").toAbsolutePath());
    }

    public static String text() throws IOException {
        return Files.readString(root().resolve("README.md"));
    }

    /** The fenced blocks of {@code language} ("java", "xml"), in order. */
    static List<String> blocks(String language) throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```" + language + "\\n(.*?)^```", Pattern.DOTALL).matcher(text());
        while (m.find()) blocks.add(m.group(1));
        return blocks;
    }

    /** The java block that declares {@code public class name}. */
    static String program(String name) throws IOException {
        for (String b : blocks("java")) if (b.contains("public class " + name + " ")) return b;
        throw new AssertionError("README.md has no java block with 'public class " + name + "'");
    }
}
