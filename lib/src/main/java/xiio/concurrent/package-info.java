/**
 * Structured concurrency on the core: task groups, gather, timeouts, and the
 * synchronization primitives of one run (Event, Semaphore, Lock, Channel), all fair
 * and cancel-safe, all built on {@link xiio.core.Promise}.
 */
package xiio.concurrent;
