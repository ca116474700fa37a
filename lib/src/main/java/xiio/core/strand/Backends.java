package xiio.core.strand;

/**
 * Picks the coroutine backend once per JVM. {@code -Dxiio.backend=continuation} or
 * {@code =vthread} forces one; by default the continuation backend is used when
 * {@code java.base/jdk.internal.vm} is exported to us, and the virtual-thread one
 * otherwise, with one warning that says which flag makes it fast.
 */
public final class Backends {
    private Backends() {}

    /** The JVM flag that enables the fast backend, for messages. */
    public static final String FAST_FLAG_UNNAMED = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";

    private static final Backend SELECTED = select();

    /** The backend of this JVM. */
    public static Backend get() {
        return SELECTED;
    }

    private static boolean continuationsExported() {
        return Object.class.getModule().isExported("jdk.internal.vm", Backends.class.getModule());
    }

    private static Backend select() {
        String wanted = System.getProperty("xiio.backend", "auto");
        switch (wanted) {
            case "continuation":
                if (!continuationsExported()) {
                    throw new IllegalStateException("xiio.backend=continuation needs the JVM flag "
                            + FAST_FLAG_UNNAMED + " (or =xiio when xiio is on the module path)");
                }
                return new ContinuationBackend();
            case "vthread":
                return new VirtualThreadBackend();
            case "auto":
                if (continuationsExported()) return new ContinuationBackend();
                System.getLogger("xiio").log(System.Logger.Level.WARNING,
                        "xiio runs on the slow virtual-thread coroutine backend; add the JVM flag "
                                + FAST_FLAG_UNNAMED + " (or =xiio on the module path) for the fast one");
                return new VirtualThreadBackend();
            default:
                throw new IllegalStateException("unknown xiio.backend '" + wanted
                        + "': use continuation, vthread or auto");
        }
    }
}
