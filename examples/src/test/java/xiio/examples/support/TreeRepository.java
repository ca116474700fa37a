package xiio.examples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import xiio.core.Xiio;

/**
 * A Maven local repository of this tree's own library, for the tests that build a
 * user's project against "the installed xiio": {@code examples/target/tree-repository}.
 *
 * <p>Why not {@code ~/.m2}: it is shared by every checkout and worktree on the machine,
 * so the {@code dev.xiio:xiio} jar there may be another branch's. This repository holds
 * the jar this test JVM runs on (the reactor's, made into a jar if it is still a class
 * directory) with the library's and the parent's pom, and links every other top-level
 * directory to {@code ~/.m2}, so an offline build still finds the plugins it needs.
 * Made once per test JVM.
 */
public final class TreeRepository {
    private static Path path;

    private TreeRepository() {}

    /** The library's version, as the build passes it in ({@code xiio.version}). */
    public static String version() {
        String v = System.getProperty("xiio.version");
        if (v == null) throw new IllegalStateException("the surefire configuration sets xiio.version; run through Maven");
        return v;
    }

    /** The repository, made on first use. */
    public static synchronized Path path() {
        if (path != null) return path;
        try {
            path = make();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the tree's local repository", e);
        }
        return path;
    }

    /** The library's jar in it: what a user's class path or module path names. */
    public static Path jar() {
        return path().resolve("dev/xiio/xiio/" + version() + "/xiio-" + version() + ".jar");
    }

    /** {@code mvn -o -B -q -Dmaven.repo.local=<this> args...} with {@code JAVA_HOME} this JVM's, for {@link ExampleProcess#startCommand}. */
    public static List<String> mvn(String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "JAVA_HOME=" + System.getProperty("java.home"),
                "mvn", "-o", "-B", "-q", "-Dstyle.color=never", "-Dmaven.repo.local=" + path()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Path make() throws IOException {
        Path root = projectRoot();
        Path repo = root.resolve("examples/target/tree-repository");
        Path shared = Path.of(System.getProperty("user.home"), ".m2", "repository");
        deleteTree(repo);
        Files.createDirectories(repo);
        linkAllBut(shared, repo, "dev");
        linkAllBut(shared.resolve("dev"), Files.createDirectories(repo.resolve("dev")), "xiio");
        String v = version();
        Path lib = Files.createDirectories(repo.resolve("dev/xiio/xiio/" + v));
        Files.copy(libraryJar(), lib.resolve("xiio-" + v + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(root.resolve("lib/pom.xml"), lib.resolve("xiio-" + v + ".pom"));
        Path parent = Files.createDirectories(repo.resolve("dev/xiio/xiio-parent/" + v));
        Files.copy(root.resolve("pom.xml"), parent.resolve("xiio-parent-" + v + ".pom"));
        return repo;
    }

    /** Where this JVM loads the library from: the reactor's jar, or its classes as a jar. */
    private static Path libraryJar() throws IOException {
        Path where;
        try {
            where = Path.of(Xiio.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        return Files.isDirectory(where) ? ClassesJar.jarOf(where) : where;
    }

    private static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("lib/pom.xml")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
        }
        throw new IllegalStateException("no lib/pom.xml above " + Path.of("").toAbsolutePath());
    }

    private static void linkAllBut(Path from, Path to, String except) throws IOException {
        if (!Files.isDirectory(from)) return;
        try (Stream<Path> entries = Files.list(from)) {
            for (Path e : entries.toList()) {
                if (!e.getFileName().toString().equals(except)) Files.createSymbolicLink(to.resolve(e.getFileName()), e);
            }
        }
    }

    /** Deletes {@code dir} and what it holds, without following links into {@code ~/.m2}. */
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path e : entries.toList()) deleteTree(e);
            }
        }
        Files.delete(dir);
    }
}
