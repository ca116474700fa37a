package xiio.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.core.CancelScope;
import xiio.core.Xiio;
import xiio.testing.VirtualClock;

/** The pool: keep-alive, limits under load, idle eviction, and what a cancelled or failed exchange leaves behind. */
class ConnectionPoolTest {

    /** Answers every request on a connection with its own path, after {@code delay}. */
    private static ScriptedServer.Script echoPath(Duration delay) {
        return c -> {
            for (ScriptedServer.Request r; (r = c.readRequest()) != null; ) {
                if (!delay.isZero()) Xiio.sleep(delay);
                c.ok(r.line().split(" ")[1]);
            }
        };
    }

    @Test
    void sequentialRequestsShareOneConnection() throws Exception {
        Xiio.run(() -> ScriptedServer.with(echoPath(Duration.ZERO), server -> {
            try (HttpClient client = HttpClient.create()) {
                for (int i = 0; i < 10; i++) assertEquals("/" + i, client.send(ClientRequest.get(server.uri("/" + i))).body().text());
                assertEquals(1, server.accepted());
                assertEquals(new PoolStats(1, 1, 0, 1), client.stats());
            }
            return null;
        }));
    }

    @Test
    void aHundredConcurrentRequestsStayWithinThePerOriginLimit() throws Exception {
        Xiio.run(() -> ScriptedServer.with(echoPath(Duration.ofMillis(2)), server -> {
            try (HttpClient client = HttpClient.builder().maxConnectionsPerOrigin(4).build()) {
                List<String> bodies = TaskGroup.scope(g -> {
                    List<Task<String>> tasks = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        String path = "/r" + i;
                        tasks.add(g.spawn(() -> client.send(ClientRequest.get(server.uri(path))).body().text()));
                    }
                    List<String> out = new ArrayList<>();
                    for (Task<String> t : tasks) out.add(t.join());
                    return out;
                });
                for (int i = 0; i < 100; i++) assertEquals("/r" + i, bodies.get(i), "each response answers its own request");
                assertEquals(4, server.accepted(), "four connections carried the hundred requests");
                assertTrue(server.maxOpen() <= 4, "at most 4 open at once, saw " + server.maxOpen());
                assertEquals(new PoolStats(4, 4, 0, 4), client.stats());
            }
            return null;
        }));
    }

    @Test
    void theTotalLimitHoldsAcrossOrigins() throws Exception {
        int[] open = {0}, maxOpen = {0};
        ScriptedServer.Script counted = c -> {
            Xiio.sleep(Duration.ofMillis(5)); // first see the closes the client made to make room for this one
            maxOpen[0] = Math.max(maxOpen[0], ++open[0]);
            try {
                echoPath(Duration.ofMillis(1)).serve(c);
            } finally {
                open[0]--;
            }
        };
        Xiio.run(() -> ScriptedServer.with(counted, a -> ScriptedServer.with(counted, b -> {
            try (HttpClient client = HttpClient.builder().maxConnectionsPerOrigin(3).maxConnections(3).build()) {
                int[] maxPooled = {0};
                TaskGroup.scope(g -> {
                    Task<Void> watch = g.spawn(() -> {
                        while (true) {
                            maxPooled[0] = Math.max(maxPooled[0], client.stats().open());
                            Xiio.sleep(Duration.ofMillis(1));
                        }
                    });
                    for (int i = 0; i < 100; i++) {
                        ScriptedServer s = i % 2 == 0 ? a : b;
                        String path = "/" + i;
                        g.spawn(() -> {
                            assertEquals(path, client.send(ClientRequest.get(s.uri(path))).body().text());
                            return null;
                        });
                    }
                    while (g.size() > 2) Xiio.sleep(Duration.ofMillis(1)); // the body and the watcher are left
                    watch.cancel();
                    return null;
                });
                assertTrue(maxPooled[0] <= 3, "the pool held at most 3, saw " + maxPooled[0]);
            }
            assertTrue(maxOpen[0] <= 3, "at most 3 connections open at once over both origins, saw " + maxOpen[0]);
            assertTrue(a.accepted() > 0 && b.accepted() > 0);
            return null;
        })));
    }

    @Test
    void idleConnectionsAreEvictedOnTheVirtualClock() throws Exception {
        VirtualClock.run(() -> ScriptedServer.with(echoPath(Duration.ZERO), server -> {
            try (HttpClient client = HttpClient.builder().idleTimeout(Duration.ofSeconds(30)).build()) {
                client.send(ClientRequest.get(server.uri("/a")));
                Xiio.sleep(Duration.ofSeconds(29));
                client.send(ClientRequest.get(server.uri("/b")));
                assertEquals(1, server.accepted(), "29 s idle: still pooled");
                Xiio.sleep(Duration.ofSeconds(30));
                assertEquals(1, client.stats().idle(), "nothing runs in the background: eviction happens on use");
                client.evictIdle();
                assertEquals(new PoolStats(0, 0, 0, 1), client.stats());
                client.send(ClientRequest.get(server.uri("/c")));
                Xiio.sleep(Duration.ofMinutes(5));
                client.send(ClientRequest.get(server.uri("/d"))); // evicts the old one on the way
                assertEquals(3, server.accepted());
                assertEquals(new PoolStats(1, 1, 0, 3), client.stats());
            }
            return null;
        }));
    }

    @Test
    void aRequestCancelledMidBodyClosesItsConnection() throws Exception {
        Xiio.run(() -> ScriptedServer.with(c -> {
            if (c.index == 0) {
                c.readRequest();
                c.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf.");
                c.readRequest(); // until the client closes
            } else {
                echoPath(Duration.ZERO).serve(c);
            }
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                byte[] got = new byte[5];
                String none = CancelScope.open(scope -> client.exchange(ClientRequest.get(server.uri("/first")), r -> {
                    int n = r.body().read(got, 0, 5);
                    assertEquals("half.", new String(got, 0, n));
                    scope.cancel();
                    r.body().readAllBytes(); // cancelled here, with five bytes to come
                    return "all";
                }));
                assertNull(none);
                assertEquals(new PoolStats(0, 0, 0, 1), client.stats(), "a half-read connection is closed, not pooled");
                assertEquals("/second", client.send(ClientRequest.get(server.uri("/second"))).body().text());
                assertEquals(2, server.accepted());
            }
            return null;
        }));
    }

    @Test
    void aRequestCancelledAfterItsBodyKeepsItsConnection() throws Exception {
        Xiio.run(() -> ScriptedServer.with(echoPath(Duration.ZERO), server -> {
            try (HttpClient client = HttpClient.create()) {
                CancelScope.open(scope -> client.exchange(ClientRequest.get(server.uri("/a")), r -> {
                    assertEquals("/a", r.body().text());
                    scope.cancel();
                    Xiio.sleep(Duration.ofDays(1)); // cancelled here, the body read to its end
                    return null;
                }));
                assertEquals(new PoolStats(1, 1, 0, 1), client.stats());
                assertEquals("/b", client.send(ClientRequest.get(server.uri("/b"))).body().text());
                assertEquals(1, server.accepted());
            }
            return null;
        }));
    }

    @Test
    void aStalePooledConnectionIsRetriedOnceForAnIdempotentRequest() throws Exception {
        Xiio.run(() -> ScriptedServer.with(c -> {
            ScriptedServer.Request r = c.readRequest();
            c.ok(r.line().split(" ")[1]);
            if (c.index == 0) { // the next request finds the server closing: no answer (no Connection: close before)
                c.readRequest();
                return;
            }
            echoPath(Duration.ZERO).serve(c);
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("/1", client.send(ClientRequest.get(server.uri("/1"))).body().text());
                assertEquals("/2", client.send(ClientRequest.get(server.uri("/2"))).body().text());
                assertEquals(2, server.accepted());
            }
            return null;
        }));
    }

    @Test
    void theRetryTradesTheDeadConnectionForAFreshOneAtTheTotalLimit() throws Exception {
        Xiio.run(() -> ScriptedServer.with(c -> {
            ScriptedServer.Request r = c.readRequest();
            c.ok(r.line().split(" ")[1]); // one answer per connection, then a silent close
        }, server -> {
            try (HttpClient client = HttpClient.builder().maxConnections(1).build()) {
                for (int i = 1; i <= 3; i++) {
                    assertEquals("/" + i, client.send(ClientRequest.get(server.uri("/" + i))).body().text());
                    Xiio.sleep(Duration.ofMillis(20)); // the server's close arrives
                }
                assertEquals(3, server.accepted());
                assertEquals(1, client.stats().open());
            }
            return null;
        }));
    }

    @Test
    void aPostOnAConnectionTheServerClosesUnansweredIsNotRepeated() throws Exception {
        // the server closes when the POST arrives, too late for the client to know before it sent
        Xiio.run(() -> ScriptedServer.with(c -> {
            ScriptedServer.Request r = c.readRequest();
            c.ok(r.line().split(" ")[1]);
            c.readRequest();
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                client.send(ClientRequest.get(server.uri("/1")));
                IOException e = assertThrows(IOException.class,
                        () -> client.send(ClientRequest.post(server.uri("/2"), RequestBody.of("once"))));
                assertTrue(e.getMessage().contains("without answering") || e.getMessage().contains("failed before a response"), e.getMessage());
                assertEquals(1, server.accepted());
                assertEquals(0, client.stats().open());
            }
            return null;
        }));
    }

    @Test
    void aPooledConnectionTheServerClosedWhileIdleIsNotLeasedSoAPostGoesThrough() throws Exception {
        // the close arrived while the connection sat in the pool: the pool sees it (the fd is
        // readable at end of stream) and opens a fresh one, so even a POST, never retried, works
        xiio.concurrent.Event closed = new xiio.concurrent.Event();
        Xiio.run(() -> ScriptedServer.with(c -> {
            ScriptedServer.Request r = c.readRequest();
            c.ok(r.line().split(" ")[1] + " " + new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1));
            if (c.index == 0) {
                c.tcp.close(); // on loopback the FIN is in the client's queue when close returns
                closed.set();
            }
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("/1 ", client.send(ClientRequest.get(server.uri("/1"))).body().text());
                closed.await();
                assertEquals("/2 once", client.send(ClientRequest.post(server.uri("/2"), RequestBody.of("once"))).body().text());
                assertEquals(2, server.accepted());
                assertEquals(new PoolStats(1, 1, 0, 2), client.stats());
            }
            return null;
        }));
    }

    @Test
    void bytesAnIdleConnectionReceivedAreNeverTakenForTheNextAnswer() throws Exception {
        // some servers say "408 Request Timeout" to an idle keep-alive connection before they
        // close it; the next request on it read that stale 408 as its own answer
        xiio.concurrent.Event pooled = new xiio.concurrent.Event(), written = new xiio.concurrent.Event();
        Xiio.run(() -> ScriptedServer.with(c -> {
            ScriptedServer.Request r = c.readRequest();
            c.ok(r.line().split(" ")[1]);
            if (c.index == 0) {
                pooled.await(); // after the client took its answer and pooled the connection
                c.write("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
                written.set(); // on loopback the bytes are in the client's queue when the write returns
                Xiio.sleep(Duration.ofSeconds(10)); // and keeps the connection open a while
            }
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("/1", client.send(ClientRequest.get(server.uri("/1"))).body().text());
                pooled.set();
                written.await();
                ClientResponse r = client.send(ClientRequest.post(server.uri("/2"), RequestBody.of("x")));
                assertEquals(200, r.status());
                assertEquals("/2", r.body().text());
                assertEquals(2, server.accepted());
            }
            return null;
        }));
    }

    @Test
    void connectionCloseFromTheServerIsHonoured() throws Exception {
        Xiio.run(() -> ScriptedServer.with(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            c.readRequest();
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                client.send(ClientRequest.get(server.uri("/")));
                assertEquals(0, client.stats().open());
            }
            return null;
        }));
    }

    @Test
    void aClosedClientRefusesRequests() throws Exception {
        Xiio.run(() -> {
            HttpClient client = HttpClient.create();
            client.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.get("http://127.0.0.1:1/"));
            assertEquals("the HTTP client is closed", e.getMessage());
            return null;
        });
    }
}
