/**
 * An HTTP/1.1 client: {@link xiio.http.client.HttpClient} sends
 * {@link xiio.http.client.ClientRequest}s over a pool of kept-alive connections per
 * {@link xiio.http.client.Origin} and returns {@link xiio.http.client.ClientResponse}s,
 * their bodies in memory ({@code send}) or streamed to a handler ({@code exchange}).
 * There are no timeout parameters: every call runs under the caller's cancel scopes, and
 * a cancelled exchange closes its connection unless the response was read to its end.
 * Redirects are followed only as a {@link xiio.http.client.RedirectPolicy} says.
 */
package xiio.http.client;
