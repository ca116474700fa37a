package xiio.examples;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * How an example reports a failure: one line in words on stderr, and an exit status
 * from one table, the same for every example.
 *
 * <pre>
 *   0    done
 *   1    failed (what failed, in one line; --debug adds the stack trace)
 *   2    the command line is wrong (one line, and where --help is)
 *   130  stopped by Ctrl-C (SIGINT), 143 by SIGTERM: 128 + the signal, as shells report it
 * </pre>
 *
 * Class names are for stack traces: a person reads "no such file or directory: /srv",
 * not "NoSuchFileException: /srv". An {@code IllegalArgumentException} is a bad
 * argument: the examples check their options with it.
 */
final class ErrorReport {
    static final int FAILED = 1;
    static final int USAGE = 2;

    private ErrorReport() {}

    /** Ends the --help of {@code cli} and of each of its commands with the table of exit statuses. */
    static void listExitStatuses(CommandLine cli) {
        Map<String, String> table = new LinkedHashMap<>();
        table.put("0", "done");
        table.put("1", "failed (one line on stderr; --debug prints the stack trace)");
        table.put("2", "the command line is wrong");
        table.put("130", "stopped by Ctrl-C (SIGINT); 143 by SIGTERM");
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(table);
        for (CommandLine sub : cli.getSubcommands().values()) listExitStatuses(sub);
    }

    /** The line for a command line that picocli could not parse, with the hint at --help. */
    static String usage(CommandLine.ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        String what = e instanceof CommandLine.UnmatchedArgumentException u && cmd.getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")
                ? "unknown command '" + u.getUnmatched().getFirst() + "'"
                : lowerFirst(e.getMessage());
        return prefix(cmd) + what + " (see " + helpFor(cmd) + ")";
    }

    /** The line for a failure while the command ran. */
    static String failure(CommandLine cmd, Throwable e) {
        String line = prefix(cmd) + inWords(e);
        return e instanceof IllegalArgumentException ? line + " (see " + helpFor(cmd) + ")" : line;
    }

    static int exitStatus(Throwable e) {
        return e instanceof IllegalArgumentException ? USAGE : FAILED;
    }

    /** The message of {@code e} as a person would say it. */
    static String inWords(Throwable e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String file = f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "");
            return switch (f) {
                case NoSuchFileException n -> "no such file or directory: " + file;
                case AccessDeniedException a -> "permission denied: " + file;
                case FileAlreadyExistsException x -> "already exists: " + file;
                case NotDirectoryException d -> "not a directory: " + file;
                default -> file + ": " + (f.getReason() != null ? f.getReason() : "cannot use it");
            };
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) return "failed: " + e.getClass().getSimpleName(); // nothing better to say
        // the JDK's own words for a few; ours (xiio's, the examples') are meant to be read as they are
        if (message.startsWith("port out of range:")) return "port " + message.substring(18) + " is out of range 0..65535";
        return message;
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getParent() == null ? "xiio: " : "xiio " + cmd.getCommandName() + ": ";
    }

    private static String helpFor(CommandLine cmd) {
        return cmd.getParent() == null ? "./xiio help" : "./xiio " + cmd.getCommandName() + " --help";
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
