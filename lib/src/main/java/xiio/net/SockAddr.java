package xiio.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import xiio.unix.sys.Constants;

/**
 * {@code struct sockaddr} encoding and decoding for IPv4, IPv6 and Unix addresses.
 *
 * <p>Layouts (Linux): the family is a host-order {@code u16} at offset 0 in all of
 * them. {@code sockaddr_in}: port (network order) at 2, address at 4, 16 bytes in all.
 * {@code sockaddr_in6}: port at 2, flow info at 4, address at 8, scope id (host
 * order) at 24, 28 bytes. {@code sockaddr_un}: {@code sun_path[108]} at 2; a path is
 * NUL-terminated, an abstract name starts with a NUL and its length comes from the
 * address length alone (no terminator); an unnamed socket has length 2.
 */
final class SockAddr {
    private SockAddr() {}

    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
    private static final ValueLayout.OfShort FAMILY = JAVA_SHORT.withByteAlignment(1);
    private static final ValueLayout.OfInt SCOPE = JAVA_INT.withByteAlignment(1);

    /** The socket family for an address: AF_INET, AF_INET6 or AF_UNIX. */
    static int family(SocketAddress address) {
        if (address instanceof UnixAddress) return Constants.AF_UNIX;
        InetSocketAddress inet = inet(address);
        return inet.getAddress() instanceof Inet6Address ? Constants.AF_INET6 : Constants.AF_INET;
    }

    static InetSocketAddress inet(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            throw new IllegalArgumentException("not an IP socket address: " + address + " (" + address.getClass().getName() + ")");
        }
        if (inet.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + inet.getHostString() + ":" + inet.getPort()
                    + ": pass a host name and port to connect(host, port), or resolve it with Dns.resolve first");
        }
        return inet;
    }

    /**
     * Writes {@code address} into {@code out} (at least 128 bytes) and returns the
     * length to pass to the kernel. With {@code family == AF_INET6}, an IPv4 address is
     * written as IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}), as a dual-stack socket needs.
     */
    static int encode(SocketAddress address, int family, MemorySegment out) {
        out.asSlice(0, Constants.SOCKADDR_STORAGE_SIZE).fill((byte) 0);
        if (address instanceof UnixAddress unix) return encodeUnix(unix, out);
        InetSocketAddress inet = inet(address);
        byte[] ip = inet.getAddress().getAddress();
        if (family == Constants.AF_INET && ip.length == 4) {
            out.set(FAMILY, 0, (short) Constants.AF_INET);
            out.set(PORT, 2, (short) inet.getPort());
            MemorySegment.copy(ip, 0, out, JAVA_BYTE, 4, 4);
            return Constants.SOCKADDR_IN_SIZE;
        }
        if (family != Constants.AF_INET6) {
            throw new IllegalArgumentException("cannot use IPv6 address " + format(address) + " on an IPv4 socket");
        }
        out.set(FAMILY, 0, (short) Constants.AF_INET6);
        out.set(PORT, 2, (short) inet.getPort());
        if (ip.length == 4) {
            out.set(JAVA_BYTE, 8 + 10, (byte) 0xff);
            out.set(JAVA_BYTE, 8 + 11, (byte) 0xff);
            MemorySegment.copy(ip, 0, out, JAVA_BYTE, 8 + 12, 4);
        } else {
            MemorySegment.copy(ip, 0, out, JAVA_BYTE, 8, 16);
            out.set(SCOPE, 24, ((Inet6Address) inet.getAddress()).getScopeId());
        }
        return Constants.SOCKADDR_IN6_SIZE;
    }

    private static int encodeUnix(UnixAddress unix, MemorySegment out) {
        out.set(FAMILY, 0, (short) Constants.AF_UNIX);
        if (unix.isUnnamed()) return 2;
        byte[] name = unix.name().getBytes(StandardCharsets.UTF_8);
        if (unix.isAbstract()) {
            MemorySegment.copy(name, 0, out, JAVA_BYTE, 3, name.length); // sun_path[0] stays NUL
            return 2 + 1 + name.length;
        }
        MemorySegment.copy(name, 0, out, JAVA_BYTE, 2, name.length);
        return 2 + name.length + 1; // with the terminating NUL
    }

    /** Reads the address the kernel wrote into {@code in} with length {@code len}. */
    static SocketAddress decode(MemorySegment in, int len) {
        int family = len >= 2 ? Short.toUnsignedInt(in.get(FAMILY, 0)) : Constants.AF_UNSPEC;
        try {
            switch (family) {
                case Constants.AF_INET -> {
                    byte[] ip = new byte[4];
                    MemorySegment.copy(in, JAVA_BYTE, 4, ip, 0, 4);
                    return new InetSocketAddress(InetAddress.getByAddress(ip), Short.toUnsignedInt(in.get(PORT, 2)));
                }
                case Constants.AF_INET6 -> {
                    byte[] ip = new byte[16];
                    MemorySegment.copy(in, JAVA_BYTE, 8, ip, 0, 16);
                    int scope = in.get(SCOPE, 24);
                    // getByAddress turns IPv4-mapped addresses (a dual-stack peer) into Inet4Address
                    InetAddress address = scope == 0 ? InetAddress.getByAddress(ip) : Inet6Address.getByAddress(null, ip, scope);
                    return new InetSocketAddress(address, Short.toUnsignedInt(in.get(PORT, 2)));
                }
                case Constants.AF_UNIX -> {
                    if (len <= 2) return UnixAddress.unnamed();
                    if (in.get(JAVA_BYTE, 2) == 0) {
                        byte[] name = new byte[len - 3];
                        MemorySegment.copy(in, JAVA_BYTE, 3, name, 0, name.length);
                        return UnixAddress.ofAbstract(new String(name, StandardCharsets.UTF_8));
                    }
                    int end = 2;
                    while (end < len && in.get(JAVA_BYTE, end) != 0) end++;
                    byte[] path = new byte[end - 2];
                    MemorySegment.copy(in, JAVA_BYTE, 2, path, 0, path.length);
                    return UnixAddress.of(java.nio.file.Path.of(new String(path, StandardCharsets.UTF_8)));
                }
                default -> throw new IllegalStateException("the kernel returned an address of family " + family + " (length " + len + ")");
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("the kernel returned a malformed address", e); // cannot happen: lengths are fixed
        }
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}, a Unix path or {@code @name}: no reverse DNS. */
    static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.isUnresolved() ? inet.getHostString()
                    : inet.getAddress() instanceof Inet4Address ? inet.getAddress().getHostAddress()
                    : "[" + inet.getAddress().getHostAddress() + "]";
            return host + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
