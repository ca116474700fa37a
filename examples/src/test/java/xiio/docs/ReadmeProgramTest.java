package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The README's programs compile against the library as it is: each {@code java} block
 * of README.md that declares a class is compiled with the JDK's compiler, in memory,
 * against this module's class path. (Running the first program would serve forever;
 * GuideCoreTest runs the same shape of server.)
 */
class ReadmeProgramTest {
    private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");

    @Test
    void everyProgramInTheReadmeCompiles() throws IOException {
        List<String> programs = javaBlocks(readme()).stream().filter(b -> CLASS_NAME.matcher(b).find()).toList();
        assertTrue(programs.size() >= 1, "the README's first program is gone, or its block is no longer ```java");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("readme-classes");
        try {
            for (String program : programs) {
                Matcher m = CLASS_NAME.matcher(program);
                m.find();
                DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
                boolean ok = javac.getTask(null, null, diagnostics,
                        List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path")),
                        null, List.of(source(m.group(1), program))).call();
                List<String> errors = new ArrayList<>();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    errors.add("line " + d.getLineNumber() + ": " + d.getMessage(null));
                }
                assertTrue(ok, "README program " + m.group(1) + " does not compile: " + errors);
                assertEquals(List.of(), errors, "README program " + m.group(1) + " compiles with warnings");
            }
        } finally {
            try (var files = Files.walk(out)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    private static JavaFileObject source(String className, String code) {
        return new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }

    private static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) blocks.add(m.group(1));
        return blocks;
    }

    private static String readme() throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("examples"))) {
                return Files.readString(p.resolve("README.md"));
            }
        }
        throw new IllegalStateException("cannot find README.md above " + Path.of("").toAbsolutePath());
    }
}
