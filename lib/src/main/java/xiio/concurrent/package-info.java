/**
 * Structured concurrency on the core: task groups (strict or supervising, with
 * {@code start} to wait until a task is ready), gather, timeouts, and the
 * synchronization primitives of one run (Event, Semaphore, CapacityLimiter, Lock,
 * Channel, memory channels with clonable ends, Select), all fair and cancel-safe, all
 * built on {@link xiio.core.Promise}.
 */
package xiio.concurrent;
