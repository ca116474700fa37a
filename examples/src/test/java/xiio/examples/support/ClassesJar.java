package xiio.examples.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The class path for a child JVM that runs an example as {@code ./xiio} does: with
 * every class directory of this JVM's class path (the examples' own classes, and the
 * library's in a reactor build before it is packaged) replaced by a jar of it, made
 * once per test JVM and deleted when it exits.
 *
 * <p>Why it matters: the JVM keeps a jar open, but loads a class from a directory by
 * opening its file on first use, so a server out of fds dies with a
 * {@code NoClassDefFoundError} at the first request that needs a class it has not yet
 * loaded. The launcher runs the examples' jar for the same reason.
 */
public final class ClassesJar {
    private static String classPath;

    private ClassesJar() {}

    /** This JVM's class path with every directory replaced by a jar of its contents. */
    public static synchronized String classPath() {
        if (classPath != null) return classPath;
        List<String> entries = new ArrayList<>();
        try {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                // SLF4J is for SlowBackendLoggingTest alone: the examples log as under ./xiio, through java.util.logging
                if (p.getFileName().toString().startsWith("slf4j-")) continue;
                entries.add(Files.isDirectory(p) && !p.endsWith("test-classes") ? jarOf(p).toString() : entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a jar of the class directories", e);
        }
        classPath = String.join(File.pathSeparator, entries);
        return classPath;
    }

    /** The examples' own classes as a jar: what {@code examples/target/xiio-examples-*.jar} holds after a build. */
    public static synchronized Path examplesJar() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p.resolve("xiio/examples")) && !p.endsWith("test-classes")) {
                try {
                    return jarOf(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no examples class directory on " + System.getProperty("java.class.path"));
    }

    /** A jar of {@code dir}'s files, deleted when this JVM exits. */
    public static Path jarOf(Path dir) throws IOException {
        Path jar = Files.createTempFile("xiio-classes", ".jar");
        jar.toFile().deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out); // leaves the jar's stream open
                out.closeEntry();
            }
        }
        return jar;
    }
}
