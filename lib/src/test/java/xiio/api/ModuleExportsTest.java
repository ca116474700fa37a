package xiio.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module exports only what users need, in layer order: not the syscall tables
 * ({@code xiio.unix.sys}, whose {@code install} and close hook are the loop's fd
 * bookkeeping) nor the coroutine backends ({@code xiio.core.strand}).
 */
class ModuleExportsTest {
    private static final List<String> LAYERS = List.of("xiio.unix", "xiio.core", "xiio.concurrent", "xiio.io",
            "xiio.thread", "xiio.file", "xiio.net", "xiio.tls", "xiio.process", "xiio.signal", "xiio.testing");

    @Test
    void theCompiledModuleExportsTheUserFacingPackagesOnly() throws IOException {
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        Set<String> exported = module.exports().stream().map(e -> {
            assertEquals(Set.of(), e.targets(), e.source() + " should be exported to every module or none");
            return e.source();
        }).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(LAYERS), exported);
        Path classes = Path.of("target/classes");
        Set<String> packages;
        try (Stream<Path> files = Files.walk(classes)) {
            packages = files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("module-info.class"))
                    .map(f -> classes.relativize(f.getParent()).toString().replace('/', '.'))
                    .collect(Collectors.toSet());
        }
        packages.removeAll(exported);
        assertEquals(Set.of("xiio.unix.sys", "xiio.core.strand"), packages);
    }

    @Test
    void moduleInfoListsTheExportsInLayerOrderEachWithAComment() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/main/java/module-info.java"));
        List<String> exports = lines.stream().map(String::strip).filter(l -> l.startsWith("exports "))
                .map(l -> l.substring("exports ".length(), l.length() - 1)).toList();
        assertEquals(LAYERS, exports);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("exports ")) {
                assertEquals(true, lines.get(i - 1).strip().startsWith("//"), "no comment above: " + lines.get(i).strip());
            }
        }
    }
}
