package xiio.examples;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The examples application behind {@code ./xiio}: one subcommand per example.
 * {@code ./xiio help} lists them; every example answers {@code --help}. Errors print
 * one line in words and exit with a status from one table ({@link ErrorReport});
 * {@code --debug} prints the stack trace too.
 */
@Command(name = "./xiio", mixinStandardHelpOptions = true, version = "xiio-java examples 0.1",
        description = "Examples of xiio-java, a coroutine-only async I/O runtime with a stateless loop.",
        subcommands = {
            CommandLine.HelpCommand.class,
            Greet.Demo.class,
            Greet.class,
            EchoServer.class,
            Chat.class,
            HttpServer.class,
            Fetch.class,
            Netcat.class,
            Parallel.class,
            Watch.class,
        })
public final class Main implements Runnable {
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (for tests). */
    static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        ErrorReport.listExitStatuses(cli);
        // one line, not the usage: it would bury the line that says what is wrong
        cli.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(ErrorReport.usage(e));
            err.flush();
            return ErrorReport.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = parseResult.hasMatchedOption("--debug")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
            PrintWriter err = commandLine.getErr();
            if (debug) e.printStackTrace(err);
            err.println(ErrorReport.failure(commandLine, e));
            err.flush();
            return ErrorReport.exitStatus(e);
        });
        return cli.execute(args);
    }
}
