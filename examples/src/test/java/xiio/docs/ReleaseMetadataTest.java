package xiio.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import xiio.examples.support.TreeRepository;

/** What a release needs that a build would not notice missing: docs/RELEASING.md, the license, the pom's metadata. */
class ReleaseMetadataTest {
    @Test
    void thePomCarriesTheLicenseAndTheDevelopersAndTheLicenseFileIsApache2() throws IOException {
        String pom = Files.readString(Readme.root().resolve("pom.xml"));
        assertTrue(pom.contains("<name>Apache License, Version 2.0</name>"), "pom.xml should name the Apache-2.0 license");
        assertTrue(pom.contains("<name>the xiio-java maintainers</name>"), "pom.xml should name the developers");
        String license = Files.readString(Readme.root().resolve("LICENSE"));
        assertTrue(license.contains("Apache License") && license.contains("Version 2.0, January 2004")
                && license.contains("END OF TERMS AND CONDITIONS"), "LICENSE should be the whole Apache License 2.0");
    }

    /** A version bump that follows RELEASING.md leaves no file behind. */
    @Test
    void releasingNamesEveryFileThatNamesTheVersion() throws IOException {
        Path root = Readme.root();
        String releasing = Files.readString(root.resolve("docs/RELEASING.md"));
        List<Path> naming;
        try (Stream<Path> files = Files.walk(root)) {
            naming = files.filter(f -> !inIgnoredDirectory(root.relativize(f)) && Files.isRegularFile(f))
                    .filter(f -> names(f, TreeRepository.version())).toList();
        }
        assertTrue(naming.size() >= 4, "the four poms name the version: " + naming);
        List<Path> missing = naming.stream()
                .filter(f -> !releasing.contains(nameInDocs(root.relativize(f)))).toList();
        assertEquals(List.of(), missing, "docs/RELEASING.md's version step should name these files");
    }

    /** A source file by its class name, anything else by its path from the root. */
    private static String nameInDocs(Path relative) {
        String name = relative.getFileName().toString();
        return name.endsWith(".java") ? name.substring(0, name.length() - ".java".length()) : relative.toString();
    }

    private static boolean inIgnoredDirectory(Path relative) {
        for (Path part : relative) {
            String p = part.toString();
            if (p.equals("target") || p.startsWith(".")) return true;
        }
        return false;
    }

    private static boolean names(Path file, String version) {
        try {
            return Files.readString(file).contains(version);
        } catch (IOException notText) {
            return false;
        }
    }
}
