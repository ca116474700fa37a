/**
 * The thread layer: blocking functions on worker threads ({@link xiio.thread.ThreadPool}),
 * and bridges both ways with the Java async world: a coroutine awaits any
 * {@link java.util.concurrent.CompletionStage} ({@link xiio.thread.Futures}), and plain
 * Java code starts coroutines and gets {@link java.util.concurrent.CompletableFuture}s
 * ({@link xiio.thread.LoopThread}, {@link xiio.thread.LoopExecutor}). Other threads wake
 * a loop only through an eventfd; nothing here adds state to the loop.
 */
package xiio.thread;
