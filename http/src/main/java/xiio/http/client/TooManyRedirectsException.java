package xiio.http.client;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/** An exchange met more redirects than its {@link RedirectPolicy} follows; the message lists them. */
public final class TooManyRedirectsException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient List<URI> chain;

    TooManyRedirectsException(List<URI> chain, int max) {
        super("more than " + max + " redirect" + (max == 1 ? "" : "s") + ": " + String.join(" -> ",
                chain.stream().map(URI::toString).toList()));
        this.chain = List.copyOf(chain);
    }

    /** The URIs requested, the first one included, in order. */
    public List<URI> chain() {
        return chain;
    }
}
