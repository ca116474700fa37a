package xiio.bench.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where and when figures were measured: they mean little without the machine.
 *
 * @param date when the run started (UTC)
 * @param cpu the CPU model and how many CPUs this process may use
 * @param kernel the kernel release and architecture
 * @param jdk the JDK's vendor and build
 * @param wrk wrk's version line
 * @param loadBefore the 1-minute load average when the run started: other work on the machine blurs every figure
 */
record MachineInfo(String date, String cpu, String kernel, String jdk, String wrk, String loadBefore) {
    static MachineInfo read() throws IOException, InterruptedException {
        return new MachineInfo(
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(ZonedDateTime.now(ZoneOffset.UTC)),
                cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs",
                "Linux " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                Wrk.version(),
                loadAverage());
    }

    /** The 1-minute load average, from /proc/loadavg. */
    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("unknown CPU");
    }
}
