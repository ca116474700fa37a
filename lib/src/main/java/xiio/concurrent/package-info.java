/** Structured concurrency on the core: task groups, gather, timeouts. */
package xiio.concurrent;
