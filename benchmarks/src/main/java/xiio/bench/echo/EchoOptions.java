package xiio.bench.echo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import xiio.bench.Bench;
import xiio.bench.BenchDir;

/**
 * How an echo benchmark run is shaped: which servers and scenarios, how long each
 * window, how many fresh-server runs of each, where the markdown goes.
 */
record EchoOptions(boolean smoke, double warmup, double duration, int runs, List<EchoServerKind> servers,
                   List<Scenario> scenarios, boolean syscalls, Path output, String commandLine) {

    static final String USAGE = """
            usage: ./xiio bench echo [--smoke] [--warmup SECS] [--duration SECS] [--runs N]
                                     [--servers a,b,...] [--scenarios c100-64,...] [--no-syscalls] [--output FILE]
              servers:   %s (default: all)
              scenarios: like c100-64 (100 connections, 64 B), c1-16k (16 KiB), c100i10k-64 (+ 10,000 idle);
                         default: c1-64,c1-16k,c100-64,c100-16k,c100i10k-64,c100i10k-16k
              defaults:  --warmup 2 --duration 5 --runs 3, written to benchmarks/results/echo.md
              --smoke:   every server, tiny scenarios (c1-64, c4i50-16k), 0.2 s + 0.3 s, one run,
                         written to benchmarks/target/echo-smoke.md
              syscalls per round trip are counted with strace in a separate short run of every
              scenario (of c1-64 only in smoke mode), unless --no-syscalls"""
            .formatted(EchoServerKind.ids());

    /**
     * Extra flags for the Java servers: none in a real run; in smoke mode C1 only, which
     * starts a JVM on one busy core in about half the time (the figures mean nothing there).
     */
    List<String> serverJvmFlags() {
        return smoke ? List.of("-XX:TieredStopAtLevel=1") : List.of();
    }

    /** Seconds of the separate strace run's window: short, strace slows the server down a lot. */
    double syscallDuration() {
        return smoke ? 0.2 : 2;
    }

    /** The strace window goes on until this many round trips are in it (30 s more at most). */
    long syscallMinRoundTrips() {
        return smoke ? 1000 : 10_000;
    }

    double syscallWarmup() {
        return smoke ? 0.1 : warmup;
    }

    /** The scenarios whose syscalls are counted: every one, so every row has the column; in smoke mode one. */
    List<Scenario> syscallScenarios() {
        if (!syscalls) return List.of();
        if (smoke) return List.of(Scenario.SYSCALLS_SMOKE);
        return scenarios;
    }

    /** The scenario whose syscalls are broken down by name: c100-64, the issue's, if it was counted. */
    Scenario syscallBreakdownScenario() {
        List<Scenario> counted = syscallScenarios();
        if (counted.isEmpty()) return null;
        return counted.contains(Scenario.SYSCALLS_FULL) ? Scenario.SYSCALLS_FULL : counted.getFirst();
    }

    /** Parses the command line; null after printing the usage for --help. */
    static EchoOptions parse(String[] args, BenchDir dir) {
        boolean smoke = List.of(args).contains("--smoke");
        double warmup = smoke ? 0.2 : 2, duration = smoke ? 0.3 : 5;
        int runs = smoke ? 1 : 3;
        List<EchoServerKind> servers = List.of(EchoServerKind.values());
        List<Scenario> scenarios = smoke ? Scenario.SMOKE : Scenario.FULL;
        boolean syscalls = true;
        Path output = smoke ? dir.target().resolve("echo-smoke.md") : dir.results().resolve("echo.md");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--smoke" -> { }
                case "--no-syscalls" -> syscalls = false;
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return null;
                }
                default -> {
                    if (i + 1 == args.length) throw new IllegalArgumentException(a + " needs a value (see --help)");
                    String v = args[++i];
                    switch (a) {
                        case "--warmup" -> warmup = positive(a, Double.parseDouble(v), true);
                        case "--duration" -> duration = positive(a, Double.parseDouble(v), false);
                        case "--runs" -> runs = (int) positive(a, Integer.parseInt(v), false);
                        case "--servers" -> servers = servers(v);
                        case "--scenarios" -> scenarios = Scenario.parseList(v);
                        case "--output" -> output = Path.of(v).toAbsolutePath();
                        default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
                    }
                }
            }
        }
        if (scenarios.isEmpty()) throw new IllegalArgumentException("--scenarios names none");
        String command = System.getProperty("xiio.bench.command", "xiio.bench.Bench echo " + String.join(" ", args));
        return new EchoOptions(smoke, warmup, duration, runs, servers, scenarios, syscalls, output, command);
    }

    private static double positive(String option, double value, boolean zeroOk) {
        if (value < 0 || (!zeroOk && value == 0)) throw new IllegalArgumentException(option + " must be positive");
        return value;
    }

    private static List<EchoServerKind> servers(String list) {
        List<EchoServerKind> servers = new ArrayList<>();
        for (String id : list.split(",")) if (!id.isBlank()) servers.add(EchoServerKind.byId(id.trim()));
        if (servers.isEmpty()) throw new IllegalArgumentException("--servers names none");
        return servers;
    }
}
