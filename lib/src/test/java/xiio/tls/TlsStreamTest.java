package xiio.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.tls.TlsTestSupport.Certs;
import xiio.tls.TlsTestSupport.PipeStream;

/** TLS between our own client and server in one loop, over a pipe pair. */
class TlsStreamTest {
    @TempDir
    static Path dir;
    static Certs certs;
    static TlsConfig serverConfig, clientConfig;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = Certs.create(dir);
        serverConfig = TlsConfig.of(certs.server());
        clientConfig = TlsConfig.of(certs.client());
    }

    /** Runs {@code server} and {@code client} concurrently on a pipe pair, closing both ends, within 20 s. */
    static <T> T converse(TlsConfig server, Side<?> serverSide, String serverName, TlsConfig client, Side<T> clientSide)
            throws Exception {
        return Xiio.run(() -> Timeout.withTimeout(Duration.ofSeconds(20), () -> {
            PipeStream[] pipes = TlsTestSupport.pipePair();
            try (TlsStream s = TlsStream.server(pipes[0], server); TlsStream c = TlsStream.client(pipes[1], serverName, client)) {
                return TaskGroup.scope(g -> {
                    g.spawn("server", () -> serverSide.run(s));
                    return clientSide.run(c);
                });
            }
        }));
    }

    @FunctionalInterface
    interface Side<T> {
        T run(TlsStream tls) throws Exception;
    }

    static String readAll(ByteStream s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = s.read(buf, 0, buf.length)) > 0; ) out.write(buf, 0, n);
        return out.toString(UTF_8);
    }

    static void send(ByteStream s, String text) throws IOException {
        byte[] b = text.getBytes(UTF_8);
        s.writeAll(b, 0, b.length);
    }

    static Side<Object> echoUpperCase() {
        return tls -> {
            send(tls, readAll(tls).toUpperCase());
            tls.shutdownOutput();
            return null;
        };
    }

    @Test
    void roundTripWithCloseNotifyBothWays() throws Exception {
        String answer = converse(serverConfig, echoUpperCase(), "localhost", clientConfig, tls -> {
            send(tls, "hello, ");
            send(tls, "tls");
            tls.shutdownOutput(); // close_notify: the server reads end of stream, then answers
            return readAll(tls);
        });
        assertEquals("HELLO, TLS", answer);
    }

    static String readExactly(ByteStream s, int n) throws IOException {
        byte[] buf = new byte[n];
        for (int at = 0; at < n; ) {
            int r = s.read(buf, at, n - at);
            if (r < 0) throw new IOException("end of stream after " + at + " of " + n + " bytes");
            at += r;
        }
        return new String(buf, UTF_8);
    }

    @Test
    void tls12RoundTrip() throws Exception {
        // TLS 1.2 has no half-close: a close_notify closes both directions, so answer first
        String protocol = converse(serverConfig, tls -> {
            send(tls, readExactly(tls, 6).toUpperCase());
            assertEquals(-1, tls.read(new byte[1], 0, 1));
            return null;
        }, "localhost", clientConfig.withProtocols("TLSv1.2"), tls -> {
            send(tls, "twelve");
            assertEquals("TWELVE", readExactly(tls, 6));
            tls.shutdownOutput();
            assertEquals(-1, tls.read(new byte[1], 0, 1)); // the server's answering close_notify
            return tls.session().getProtocol();
        });
        assertEquals("TLSv1.2", protocol);
    }

    @Test
    void explicitHandshakeExposesTheSession() throws Exception {
        String[] seen = converse(serverConfig, tls -> {
            tls.handshake();
            return null;
        }, "localhost", clientConfig, tls -> {
            assertThrows(IllegalStateException.class, tls::session);
            tls.handshake();
            tls.handshake(); // idempotent
            X509Certificate peer = (X509Certificate) tls.session().getPeerCertificates()[0];
            return new String[] {tls.session().getProtocol(), peer.getSubjectX500Principal().getName()};
        });
        assertEquals("TLSv1.3", seen[0]);
        assertEquals("CN=localhost", seen[1]);
    }

    @Test
    void sniReachesTheServerAndPicksItsCertificate() throws Exception {
        TlsConfig twoNames = TlsConfig.of(new TlsContextBuilder()
                .pemKey(certs.serverPem(), certs.serverKey())
                .pemKey(certs.otherPem(), certs.otherKey())
                .build());
        String[] seen = converse(twoNames, tls -> {
            tls.handshake();
            send(tls, tls.requestedServerName().orElse("none"));
            tls.shutdownOutput();
            return null;
        }, "other.test", clientConfig, tls -> {
            String name = readAll(tls);
            X509Certificate peer = (X509Certificate) tls.session().getPeerCertificates()[0];
            return new String[] {name, peer.getSubjectX500Principal().getName(), tls.requestedServerName().orElseThrow()};
        });
        assertEquals("other.test", seen[0]);
        assertEquals("CN=other.test", seen[1]);
        assertEquals("other.test", seen[2]);
    }

    @Test
    void noSniForAnIpAddress() throws Exception {
        String name = converse(serverConfig, tls -> {
            tls.handshake();
            send(tls, tls.requestedServerName().orElse("none"));
            tls.shutdownOutput();
            return null;
        }, "127.0.0.1", clientConfig, tls -> readAll(tls)); // the certificate names IP 127.0.0.1 too
        assertEquals("none", name);
    }

    @Test
    void alpnServerSelectsFromWhatTheClientOffers() throws Exception {
        String[] seen = converse(serverConfig.withApplicationProtocols("http/1.1", "h2"), tls -> {
            tls.handshake();
            send(tls, tls.applicationProtocol().orElse("none"));
            tls.shutdownOutput();
            return null;
        }, "localhost", clientConfig.withApplicationProtocols("h2", "http/1.1"), tls -> {
            String server = readAll(tls);
            return new String[] {server, tls.applicationProtocol().orElse("none")};
        });
        assertEquals("http/1.1", seen[0]); // the server's preference wins
        assertEquals("http/1.1", seen[1]);
    }

    @Test
    void alpnWithoutOverlapFailsClearly() throws Exception {
        TlsHandshakeException e = assertThrows(TlsHandshakeException.class, () -> converse(
                serverConfig.withApplicationProtocols("h2"), tls -> {
                    try {
                        tls.handshake();
                    } catch (TlsHandshakeException expected) {
                        assertEquals(TlsHandshakeException.Reason.NO_COMMON_PARAMETERS, expected.reason(), expected.getMessage());
                    }
                    return null;
                }, "localhost", clientConfig.withApplicationProtocols("spdy/3"), tls -> {
                    tls.handshake();
                    return null;
                }));
        assertEquals(TlsHandshakeException.Reason.NO_COMMON_PARAMETERS, e.reason(), e.getMessage());
    }

    @Test
    void noAlpnMeansEmpty() throws Exception {
        Optional<String> p = converse(serverConfig, tls -> {
            tls.handshake();
            return null;
        }, "localhost", clientConfig, tls -> {
            tls.handshake();
            return tls.applicationProtocol();
        });
        assertEquals(Optional.empty(), p);
    }

    @Test
    void halfCloseKeepsTheOtherDirectionOpen() throws Exception {
        String got = converse(serverConfig, tls -> {
            tls.shutdownOutput(); // first thing: the server will send nothing
            assertEquals("still talking", readAll(tls));
            return null;
        }, "localhost", clientConfig, tls -> {
            assertEquals(-1, tls.read(new byte[10], 0, 10)); // the server's close_notify
            assertEquals(-1, tls.read(new byte[10], 0, 10)); // and again
            send(tls, "still talking");
            tls.shutdownOutput();
            tls.shutdownOutput(); // idempotent
            IOException e = assertThrows(IOException.class, () -> send(tls, "more"));
            assertTrue(e.getMessage().contains("shut down"), e.getMessage());
            return "ok";
        });
        assertEquals("ok", got);
    }

    @Test
    void closeSendsCloseNotify() throws Exception {
        String got = converse(serverConfig, tls -> {
            send(tls, "bye");
            tls.close();
            return null;
        }, "localhost", clientConfig, TlsStreamTest::readAll);
        assertEquals("bye", got);
    }

    @Test
    void aTransportEndingWithoutCloseNotifyIsTruncation() throws Exception {
        Side<Object> hangUp = tls -> {
            send(tls, "partial");
            tls.transport().close(); // no close_notify
            return null;
        };
        SSLException e = assertThrows(SSLException.class, () -> converse(serverConfig, hangUp, "localhost", clientConfig,
                TlsStreamTest::readAll));
        assertTrue(e.getMessage().contains("without close_notify") && e.getMessage().contains("localhost"), e.getMessage());

        String lenient = converse(serverConfig, hangUp, "localhost", clientConfig.withAllowTruncation(true), TlsStreamTest::readAll);
        assertEquals("partial", lenient);
    }

    @Test
    void untrustedCertificate() throws Exception {
        TlsConfig selfSigned = TlsConfig.of(new TlsContextBuilder().pemKey(certs.selfPem(), certs.selfKey()).build());
        TlsHandshakeException[] serverSaw = new TlsHandshakeException[1];
        TlsHandshakeException e = converse(selfSigned, tls -> {
            serverSaw[0] = assertThrows(TlsHandshakeException.class, tls::handshake);
            return null;
        }, "localhost", clientConfig, tls -> assertThrows(TlsHandshakeException.class, tls::handshake));
        assertEquals(TlsHandshakeException.Reason.UNTRUSTED_CERTIFICATE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("TLS handshake with localhost failed: the peer's certificate is not trusted"),
                e.getMessage());
        // the client's alert told the server why
        assertEquals(TlsHandshakeException.Reason.REJECTED_BY_PEER, serverSaw[0].reason(), serverSaw[0].getMessage());
    }

    @Test
    void trustingThatVeryCertificateWorks() throws Exception {
        TlsConfig selfSigned = TlsConfig.of(new TlsContextBuilder().pemKey(certs.selfPem(), certs.selfKey()).build());
        X509Certificate cert = TlsContextBuilder.readCertificates(certs.selfPem()).getFirst();
        TlsConfig trustIt = TlsConfig.of(new TlsContextBuilder().trust(cert).build());
        assertEquals("HI", converse(selfSigned, echoUpperCase(), "localhost", trustIt, tls -> {
            send(tls, "hi");
            tls.shutdownOutput();
            return readAll(tls);
        }));
    }

    @Test
    void hostnameMismatch() throws Exception {
        TlsHandshakeException e = assertThrows(TlsHandshakeException.class, () -> converse(serverConfig, tls -> {
            assertThrows(TlsHandshakeException.class, tls::handshake);
            return null;
        }, "wrong.test", clientConfig, tls -> {
            tls.handshake();
            return null;
        }));
        assertEquals(TlsHandshakeException.Reason.HOSTNAME_MISMATCH, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("wrong.test") && e.getMessage().contains("hostname mismatch"), e.getMessage());

        // with verification off, the same certificate is accepted (it is still trusted)
        assertEquals("OK", converse(serverConfig, echoUpperCase(), "wrong.test", clientConfig.withVerifyHostname(false), tls -> {
            send(tls, "ok");
            tls.shutdownOutput();
            return readAll(tls);
        }));
    }

    @Test
    void expiredCertificate() throws Exception {
        TlsConfig expired = TlsConfig.of(new TlsContextBuilder().pemKey(certs.expiredPem(), certs.expiredKey()).build());
        TlsHandshakeException e = assertThrows(TlsHandshakeException.class, () -> converse(expired, tls -> {
            assertThrows(TlsHandshakeException.class, tls::handshake);
            return null;
        }, "localhost", clientConfig, tls -> {
            tls.handshake();
            return null;
        }));
        assertEquals(TlsHandshakeException.Reason.EXPIRED_CERTIFICATE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void laterCallsRepeatTheHandshakeFailure() throws Exception {
        String[] messages = converse(TlsConfig.of(new TlsContextBuilder().pemKey(certs.selfPem(), certs.selfKey()).build()),
                tls -> {
                    assertThrows(TlsHandshakeException.class, tls::handshake);
                    return null;
                }, "localhost", clientConfig, tls -> {
                    TlsHandshakeException first = assertThrows(TlsHandshakeException.class, tls::handshake);
                    TlsHandshakeException again = assertThrows(TlsHandshakeException.class, () -> tls.read(new byte[1], 0, 1));
                    assertEquals(first.reason(), again.reason());
                    return new String[] {first.getMessage(), again.getMessage()};
                });
        assertEquals(messages[0], messages[1]);
    }

    @Test
    void clientCertificateRequired() throws Exception {
        TlsConfig needClient = TlsConfig.of(new TlsContextBuilder()
                .pemKey(certs.serverPem(), certs.serverKey()).trustPem(certs.caPem()).build())
                .withClientAuth(TlsConfig.ClientAuth.NEED);
        TlsConfig withKey = TlsConfig.of(new TlsContextBuilder()
                .pemKey(certs.clientPem(), certs.clientKey()).trustPem(certs.caPem()).build());
        String who = converse(needClient, tls -> {
            tls.handshake();
            send(tls, ((X509Certificate) tls.session().getPeerCertificates()[0]).getSubjectX500Principal().getName());
            tls.shutdownOutput();
            return null;
        }, "localhost", withKey, TlsStreamTest::readAll);
        assertEquals("CN=xiio test client", who);

        TlsHandshakeException[] serverSaw = new TlsHandshakeException[1];
        assertThrows(SSLException.class, () -> converse(needClient, tls -> {
            serverSaw[0] = assertThrows(TlsHandshakeException.class, tls::handshake);
            return null;
        }, "localhost", clientConfig, TlsStreamTest::readAll)); // TLS 1.3: the client learns it on its first read
        assertEquals(TlsHandshakeException.Reason.MISSING_CERTIFICATE, serverSaw[0].reason(), serverSaw[0].getMessage());
    }

    @Test
    void plainTextPeerIsNotTls() throws Exception {
        TlsHandshakeException e = assertThrows(TlsHandshakeException.class, () -> Xiio.run(() -> {
            PipeStream[] pipes = TlsTestSupport.pipePair();
            try (TlsStream c = TlsStream.client(pipes[1], "localhost", clientConfig); PipeStream plain = pipes[0]) {
                send(plain, "HTTP/1.1 400 Bad Request\r\n\r\n");
                c.handshake();
                return null;
            }
        }));
        assertEquals(TlsHandshakeException.Reason.NOT_TLS, e.reason(), e.getMessage());
    }

    @Test
    void peerHangingUpDuringTheHandshake() throws Exception {
        TlsHandshakeException e = assertThrows(TlsHandshakeException.class, () -> Xiio.run(() -> {
            PipeStream[] pipes = TlsTestSupport.pipePair();
            try (TlsStream c = TlsStream.client(pipes[1], "localhost", clientConfig); PipeStream server = pipes[0]) {
                server.shutdownOutput(); // the client hello goes out, end of stream comes back
                c.handshake();
                return null;
            }
        }));
        assertEquals(TlsHandshakeException.Reason.CONNECTION_CLOSED, e.reason(), e.getMessage());
    }

    @Test
    void readsAndWritesOfAnUnstartedSessionShareOneImplicitHandshake() throws Exception {
        String got = converse(serverConfig, echoUpperCase(), "localhost", clientConfig, tls -> TaskGroup.scope(g -> {
            Task<String> reader = g.spawn(() -> readAll(tls));
            g.spawn(() -> {
                send(tls, "both at once");
                tls.shutdownOutput();
                return null;
            });
            return reader.join();
        }));
        assertEquals("BOTH AT ONCE", got);
    }

    @Test
    void badArguments() throws Exception {
        Xiio.run(() -> {
            PipeStream[] pipes = TlsTestSupport.pipePair();
            try (PipeStream a = pipes[0]; TlsStream c = TlsStream.client(pipes[1], "localhost", clientConfig)) {
                assertThrows(IndexOutOfBoundsException.class, () -> c.read(new byte[4], 2, 3));
                assertThrows(IndexOutOfBoundsException.class, () -> c.write(new byte[4], -1, 1));
                assertEquals(0, c.read(new byte[4], 0, 0)); // no handshake needed for nothing
                assertEquals(0, c.write(new byte[4], 0, 0));
                assertThrows(IllegalArgumentException.class, () -> TlsStream.client(a, "", clientConfig));
                assertThrows(IllegalArgumentException.class, () -> TlsStream.client(a, "bad name!", clientConfig));
                assertThrows(IllegalArgumentException.class, () -> clientConfig.withApplicationProtocols(""));
                assertThrows(IllegalStateException.class, c::applicationProtocol);
            }
            return null;
        });
    }

    @Test
    void closedStreamFailsClearly() throws Exception {
        Xiio.run(() -> {
            PipeStream[] pipes = TlsTestSupport.pipePair();
            try (PipeStream a = pipes[0]) {
                TlsStream c = TlsStream.client(pipes[1], "localhost", clientConfig);
                c.close();
                c.close(); // idempotent
                IOException e = assertThrows(IOException.class, () -> c.read(new byte[4], 0, 4));
                assertTrue(e.getMessage().contains("closed"), e.getMessage());
                assertFalse(e instanceof SSLException);
            }
            return null;
        });
    }

    @Test
    void bytesArriveIntact() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) all[i] = (byte) i;
        byte[] got = converse(serverConfig, tls -> {
            tls.writeAll(all, 0, all.length);
            tls.shutdownOutput();
            return null;
        }, "localhost", clientConfig, tls -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] one = new byte[1];
            while (tls.read(one, 0, 1) == 1) out.write(one[0]); // one byte at a time from a buffered record
            return out.toByteArray();
        });
        assertArrayEquals(all, got);
    }
}
