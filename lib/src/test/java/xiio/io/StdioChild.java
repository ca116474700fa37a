package xiio.io;

import java.nio.charset.StandardCharsets;
import xiio.core.Xiio;

/** Run as a subprocess by StdioTest: upper-cases stdin to stdout, line by line, through Stdio. */
public final class StdioChild {
    public static void main(String[] args) throws Exception {
        Xiio.run(() -> {
            try (FdStream in = Stdio.stdin(); FdStream out = Stdio.stdout(); FdStream err = Stdio.stderr()) {
                StreamReader reader = new StreamReader(in);
                StreamWriter writer = new StreamWriter(out);
                int lines = 0;
                for (String line; (line = reader.readLine(1 << 16)) != null; lines++) {
                    byte[] b = (line.toUpperCase() + "\n").getBytes(StandardCharsets.UTF_8);
                    writer.writeAll(b, 0, b.length);
                }
                writer.flush();
                byte[] summary = (lines + " lines via " + in + "\n").getBytes(StandardCharsets.UTF_8);
                err.writeAll(summary, 0, summary.length);
            }
            return null;
        });
    }
}
