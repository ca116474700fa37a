package xiio.examples.support;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool (curl, openssl) to completion within a time limit. */
public final class Tool {
    private Tool() {}

    /** What the tool printed, and its exit status. */
    public record Result(int status, byte[] stdoutBytes, String stderr) {
        public String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }
    }

    public static Result run(Duration limit, String... command) throws Exception {
        Path out = Files.createTempFile("xiio-tool", ".out");
        Path err = Files.createTempFile("xiio-tool", ".err");
        try {
            // output to files, not pipes: no reader threads, nothing to leak
            Process p = new ProcessBuilder(List.of(command)).redirectInput(new File("/dev/null"))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + limit
                        + "\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
