package xiio.examples;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The examples application behind {@code ./xiio}: one subcommand per example.
 * {@code ./xiio help} lists them; every example answers {@code --help}. Errors print
 * one readable line and exit non-zero; {@code --debug} prints the stack trace too.
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
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = parseResult.hasMatchedOption("--debug")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
            PrintWriter err = commandLine.getErr();
            if (debug) e.printStackTrace(err);
            else err.println("xiio " + commandLine.getCommandName() + ": " + oneLine(e));
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }
}
