/** The net layer: TCP, UDP and Unix sockets, DNS on a thread, TLS over SSLEngine. */
package xiio.net;
