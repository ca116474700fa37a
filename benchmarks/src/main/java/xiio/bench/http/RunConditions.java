package xiio.bench.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import xiio.bench.MachineInfo;

/**
 * Where, when and beside what the figures were measured: the machine (as every
 * benchmark section reports it), wrk's version, and the load average when the run
 * started, since other work on the machine blurs every figure.
 *
 * @param machine the date, CPU, kernel and JDK
 * @param wrk wrk's version line
 * @param loadBefore the 1-minute load average when the run started
 */
record RunConditions(MachineInfo machine, String wrk, String loadBefore) {
    static RunConditions read() throws IOException, InterruptedException {
        return new RunConditions(MachineInfo.current(), Wrk.version(), loadAverage());
    }

    /** The 1-minute load average, from /proc/loadavg. */
    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
