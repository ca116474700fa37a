package xiio.support;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Test data that shows where it went wrong: a run of 4-byte big-endian sequence
 * numbers (0, 1, 2, ...) mixed with a stream id, so a lost, duplicated or misplaced
 * byte is found at its offset and a byte from another stream is told apart.
 */
public final class Payload {
    private Payload() {}

    /** {@code length} bytes of stream {@code stream}. */
    public static byte[] of(int stream, int length) {
        ByteBuffer b = ByteBuffer.allocate((length + 3) & ~3);
        for (int i = 0; b.hasRemaining(); i++) b.putInt(word(stream, i));
        byte[] out = new byte[length];
        System.arraycopy(b.array(), 0, out, 0, length);
        return out;
    }

    private static int word(int stream, int i) {
        return (stream << 24) ^ i;
    }

    /** The CRC-32 of {@code b[0, n)}. */
    public static long crc(byte[] b, int n) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, n);
        return crc.getValue();
    }

    /**
     * Fails unless {@code got[0, n)} is exactly the first {@code n} bytes of
     * {@code expected}: names the first offset that differs and the sequence number
     * there, or says which side is longer.
     */
    public static void assertPrefix(byte[] expected, byte[] got, int n, String what) {
        if (n > expected.length) {
            throw new AssertionError(what + ": got " + n + " bytes, more than the " + expected.length + " sent (duplicated bytes?)");
        }
        for (int i = 0; i < n; i++) {
            if (expected[i] != got[i]) {
                throw new AssertionError(what + ": first difference at offset " + i + " (sequence number " + (i / 4)
                        + "): expected " + expected[i] + ", got " + got[i] + "; " + n + " bytes received");
            }
        }
    }

    /** Fails unless {@code got[0, n)} is all of {@code expected}, checked by CRC and byte by byte. */
    public static void assertWhole(byte[] expected, byte[] got, int n, String what) {
        assertPrefix(expected, got, n, what);
        if (n != expected.length) throw new AssertionError(what + ": " + n + " of " + expected.length + " bytes arrived");
        if (crc(expected, expected.length) != crc(got, n)) throw new AssertionError(what + ": checksum differs");
    }
}
