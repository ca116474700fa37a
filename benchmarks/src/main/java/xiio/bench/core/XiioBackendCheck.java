package xiio.bench.core;

import xiio.core.Xiio;

/** The xiio side of every core benchmark must measure the continuation backend, not the fallback. */
final class XiioBackendCheck {
    private XiioBackendCheck() {}

    static void requireContinuation() {
        if (!Xiio.backend().equals("continuation")) {
            throw new IllegalStateException("the core benchmarks measure the continuation backend, but this JVM runs "
                    + Xiio.backend() + ": fork with --add-exports java.base/jdk.internal.vm=ALL-UNNAMED");
        }
    }
}
