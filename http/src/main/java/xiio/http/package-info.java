/**
 * HTTP/1.1 as bytes on a connection (RFC 9110, RFC 9112), shared by the server and the
 * client: {@link xiio.http.HttpHeaders} and {@link xiio.http.HttpHeadParser} (request
 * and response heads), {@link xiio.http.BodyFraming} (where a body ends),
 * {@link xiio.http.BodyReader} (Content-Length, chunked and until-close bodies, pulled
 * with backpressure), {@link xiio.http.ChunkedWriter}, {@link xiio.http.HttpDate},
 * {@link xiio.http.HttpStatus} and {@link xiio.http.HttpException}, the one exception
 * type of malformed or refused messages, which carries the status to answer with.
 *
 * <p>Parsing is strict wherever leniency lets two parsers disagree about where a
 * message ends: that disagreement is request smuggling. Everything here may suspend
 * (it reads and writes xiio streams) and must run inside {@code Xiio.run}.
 */
package xiio.http;
