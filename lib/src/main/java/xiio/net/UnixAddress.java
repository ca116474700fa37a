package xiio.net;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import xiio.unix.sys.Constants;

/**
 * The address of a Unix domain socket: a path in the file system, a Linux
 * <em>abstract</em> name (no file; it vanishes with the last socket bound to it), or
 * unnamed (the client end of a connection, or a socket that was never bound).
 *
 * <p>The JDK's {@link java.net.UnixDomainSocketAddress} cannot express abstract names
 * (they start with a NUL byte, which no {@link Path} may hold), hence this type.
 * Names are encoded as UTF-8 and must fit {@code sun_path}: at most 107 bytes.
 *
 * {@snippet :
 * UnixAddress file = UnixAddress.of(Path.of("/run/app.sock"));
 * UnixAddress hidden = UnixAddress.ofAbstract("app-control");   // shows as "@app-control"
 * }
 */
public final class UnixAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;
    private static final UnixAddress UNNAMED = new UnixAddress("", false);

    private final String name;
    private final boolean isAbstract;

    private UnixAddress(String name, boolean isAbstract) {
        this.name = name;
        this.isAbstract = isAbstract;
    }

    /**
     * A file-system address.
     *
     * @throws IllegalArgumentException if the path is empty or longer than 107 bytes in UTF-8
     */
    public static UnixAddress of(Path path) {
        String s = Objects.requireNonNull(path, "path").toString();
        if (s.isEmpty()) throw new IllegalArgumentException("a Unix socket path must not be empty");
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("a Unix socket path must not contain NUL: " + s);
        checkLength(s, "path");
        return new UnixAddress(s, false);
    }

    /**
     * A Linux abstract-namespace address (shown as {@code @name}).
     *
     * @throws IllegalArgumentException if the name is empty or longer than 107 bytes in UTF-8
     */
    public static UnixAddress ofAbstract(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) throw new IllegalArgumentException("an abstract Unix socket name must not be empty");
        checkLength(name, "abstract name");
        return new UnixAddress(name, true);
    }

    /** The address of a socket without a name. */
    public static UnixAddress unnamed() {
        return UNNAMED;
    }

    private static void checkLength(String s, String what) {
        int bytes = s.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Constants.UNIX_PATH_MAX - 1) {
            throw new IllegalArgumentException("Unix socket " + what + " is " + bytes + " bytes in UTF-8; the limit is "
                    + (Constants.UNIX_PATH_MAX - 1) + " (sun_path): use a shorter name, e.g. a relative path");
        }
    }

    /** Whether this is an abstract name. */
    public boolean isAbstract() {
        return isAbstract;
    }

    /** Whether this is the unnamed address. */
    public boolean isUnnamed() {
        return name.isEmpty();
    }

    /** The file-system path, if this is a path address. */
    public Optional<Path> path() {
        return isAbstract || name.isEmpty() ? Optional.empty() : Optional.of(Path.of(name));
    }

    /** The path or abstract name (without the {@code @}); empty when unnamed. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnixAddress u && u.isAbstract == isAbstract && u.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + (isAbstract ? 1 : 0);
    }

    /** {@code /path}, {@code @abstract-name} or {@code (unnamed)}. */
    @Override
    public String toString() {
        return name.isEmpty() ? "(unnamed)" : isAbstract ? "@" + name : name;
    }
}
