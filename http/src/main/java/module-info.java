/**
 * xiio-http: HTTP/1.1 on xiio.
 *
 * <p>{@code xiio.http} is the wire format both sides share (header fields, message
 * heads, body framing, chunked coding, dates, statuses); {@code xiio.http.server}
 * serves requests; {@code xiio.http.client} sends them. At run time it needs the
 * library and the JDK, nothing else.
 */
module xiio.http {
    requires transitive xiio;

    // headers, heads and their parser, bodies, HttpDate, HttpException, HttpStatus
    exports xiio.http;
    // HttpServer, Router, Handler, Request, Response and their configuration
    exports xiio.http.server;
    // HttpClient: the pool, redirects, requests and responses
    exports xiio.http.client;
}
