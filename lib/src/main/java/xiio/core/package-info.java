/**
 * The core: {@link xiio.core.Xiio#run the stateless loop}, {@link xiio.core.Condition conditions}
 * and the one primitive that awaits them, {@link xiio.core.Promise promises},
 * {@link xiio.core.CancelScope cancellation}, and the {@link xiio.core.Poller poller}.
 */
package xiio.core;
