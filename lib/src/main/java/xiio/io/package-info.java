/**
 * The io layer: async byte streams over any fd, buffered readers and writers, pipes, stdio.
 *
 * <ul>
 * <li>{@link xiio.io.ByteStream}: the interface every stream implements (sockets,
 *     pipes, TLS sessions).
 * <li>{@link xiio.io.FdStream}: a stream that owns one fd. Reads await readability,
 *     then read once; writes try first and wait only on EAGAIN. No allocation per call.
 * <li>{@link xiio.io.StreamReader}: lines, exact sizes, delimiters, with length limits;
 *     cancel-safe (no byte is ever lost).
 * <li>{@link xiio.io.StreamWriter}: buffered writing with backpressure and a fixed
 *     memory bound; counters report the progress of a cancelled write.
 * <li>{@link xiio.io.Pipe} and {@link xiio.io.Stdio}: new pipes, and stdin/stdout/stderr
 *     made non-blocking without changing flags the parent shell shares.
 * </ul>
 */
package xiio.io;
