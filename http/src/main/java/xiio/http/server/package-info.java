/**
 * An HTTP/1.1 server: {@link xiio.http.server.HttpServer} runs connections on one loop,
 * {@link xiio.http.server.Handler}s answer {@link xiio.http.server.Request}s with
 * {@link xiio.http.server.Response}s, {@link xiio.http.server.Router} dispatches on method
 * and path. Every request is handled in a cancel scope that the client's disconnect
 * cancels; bodies stream both ways with backpressure; every limit of
 * {@link xiio.http.server.ServerConfig} has a default and a 4xx.
 */
package xiio.http.server;
