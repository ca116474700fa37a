/**
 * Regular files, read and written without stalling the loop.
 *
 * <ul>
 * <li>{@link xiio.file.AsyncFile}: a file opened from a {@code Path} with the JDK's
 *     {@code OpenOption}s; positional {@code read}/{@code write}, {@code append},
 *     {@code size}, {@code truncate}, {@code force}. Transfers run in the run's
 *     io_uring when it has one, else on a thread pool.
 * <li>{@link xiio.file.FileStream}: a file as a sequential {@code ByteStream}.
 * </ul>
 *
 * <p>A package of its own above {@code xiio.io} and {@code xiio.thread}: it needs the
 * stream interface of the one and the pool of the other, and {@code xiio.io} may not
 * import {@code xiio.thread}.
 */
package xiio.file;
