/** The thread layer: thread pools that wake the loop through an eventfd, and bridges to CompletableFuture. */
package xiio.thread;
