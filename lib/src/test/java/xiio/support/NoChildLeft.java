package xiio.support;

import java.util.TreeMap;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a child process behind, running or as a zombie. Use it
 * with {@code @ExtendWith(NoChildLeft.class)} on test classes that start processes.
 * A child killed during cleanup may be reaped by a background thread a moment
 * later, so the check waits up to a second.
 */
public final class NoChildLeft implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoChildLeft.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("children", Children.list());
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        TreeMap<Integer, String> before = context.getStore(NS).get("children", TreeMap.class);
        Children.assertNoneLeft(before, 1000);
    }
}
