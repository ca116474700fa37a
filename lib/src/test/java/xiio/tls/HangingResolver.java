package xiio.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The test JVM's host name resolver (installed through
 * {@code META-INF/services/java.net.spi.InetAddressResolverProvider}): the JDK's own
 * for every name, except names ending in {@value #HANGING_SUFFIX}, whose lookups block
 * until the current {@link Hold} is released and then resolve to 127.0.0.1. That is a
 * resolver hung the way a real one hangs (an unresponsive DNS server): inside
 * {@link InetAddress#getAllByName}, deaf to interrupts.
 */
public final class HangingResolver extends InetAddressResolverProvider {
    /** Names that hang: {@code anything.hang.invalid}. */
    static final String HANGING_SUFFIX = ".hang.invalid";

    private static volatile Hold current = Hold.RELEASED;

    /** Makes hanging names block from now until the returned hold is closed. */
    static Hold hold() {
        Hold h = new Hold();
        current = h;
        return h;
    }

    /** One period in which hanging names block; closing it releases every blocked lookup. */
    static final class Hold implements AutoCloseable {
        static final Hold RELEASED = new Hold();

        static {
            RELEASED.release.countDown();
        }

        private final CountDownLatch release = new CountDownLatch(1);
        private final AtomicInteger blocked = new AtomicInteger();

        /** How many lookups are blocked in the resolver now. */
        int blocked() {
            return blocked.get();
        }

        @Override
        public void close() {
            release.countDown();
        }

        InetAddress[] await() {
            blocked.incrementAndGet();
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // a real resolver call cannot be interrupted either
                    }
                }
            } finally {
                blocked.decrementAndGet();
                if (interrupted) Thread.currentThread().interrupt();
            }
            return new InetAddress[] {InetAddress.ofLiteral("127.0.0.1")};
        }
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (host.endsWith(HANGING_SUFFIX)) return Stream.of(current.await());
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "xiio test resolver (hangs on *" + HANGING_SUFFIX + ")";
    }
}
