package xiio.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The facts a reader needs to compare figures: when, on what CPU, kernel and JDK. */
public record MachineInfo(String date, String cpu, String kernel, String jdk) {
    /** Reads them now: the date, /proc/cpuinfo's model, the kernel release and {@code java -version}. */
    public static MachineInfo current() {
        return new MachineInfo(
                ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                readCpu(), read("/proc/sys/kernel/osrelease"), readJdk());
    }

    private static String readCpu() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown model");
            long cpus = lines.stream().filter(l -> l.startsWith("processor")).count();
            return model + ", " + cpus + " CPUs";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** What {@code java -version} says about the JVM the Java servers run on, in one line. */
    private static String readJdk() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true)
                    .redirectInput(Executables.NO_INPUT).start();
            String out;
            try (var in = p.getInputStream()) {
                out = new String(in.readAllBytes()).strip();
            }
            p.waitFor(30, TimeUnit.SECONDS);
            return String.join(" / ", out.lines().toList());
        } catch (IOException | InterruptedException e) {
            return System.getProperty("java.runtime.version") + " (java -version failed: " + e + ")";
        }
    }
}
