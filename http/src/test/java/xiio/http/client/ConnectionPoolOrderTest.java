package xiio.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.Task;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;
import xiio.testing.VirtualClock;

/**
 * Who gets a connection when requests wait for one: first come, first served, a
 * cancelled waiter leaving nothing behind, and a waiter that was served in the same
 * instant as its deadline passed taking the connection and giving it back.
 * The oracle is the server: the order in which requests reach it.
 */
class ConnectionPoolOrderTest {

    /** Answers each request with its path after {@code delay}, recording the paths in arrival order. */
    private static ScriptedServer.Script recording(List<String> arrived, Duration delay) {
        return c -> {
            for (ScriptedServer.Request r; (r = c.readRequest()) != null; ) {
                String path = r.line().split(" ")[1];
                arrived.add(path);
                Xiio.sleep(delay);
                c.ok(path);
            }
        };
    }

    /** Spawns {@code n} requests for /0 .. /n-1, each starting after the previous one queued. */
    private static List<Task<String>> spawnInOrder(TaskGroup g, HttpClient client, ScriptedServer server, int n) {
        List<Task<String>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = "/" + i;
            tasks.add(g.spawn(() -> client.send(ClientRequest.get(server.uri(path))).body().text()));
        }
        return tasks;
    }

    @Test
    void requestsWaitingForTheOneConnectionAreServedInArrivalOrder() throws Exception {
        List<String> arrived = new ArrayList<>();
        VirtualClock.run(() -> ScriptedServer.with(recording(arrived, Duration.ofMillis(1)), server -> {
            try (HttpClient client = HttpClient.builder().maxConnectionsPerOrigin(1).build()) {
                TaskGroup.scope(g -> {
                    List<Task<String>> tasks = spawnInOrder(g, client, server, 50);
                    for (int i = 0; i < 50; i++) assertEquals("/" + i, tasks.get(i).join());
                    return null;
                });
                assertEquals(new PoolStats(1, 1, 0, 1), client.stats());
            }
            return null;
        }));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) expected.add("/" + i);
        assertEquals(expected, arrived, "the server saw the requests in the order they asked for the connection");
    }

    @Test
    void cancelledWaitersLeaveTheQueueAndTheRestKeepTheirOrder() throws Exception {
        List<String> arrived = new ArrayList<>();
        VirtualClock.run(() -> ScriptedServer.with(recording(arrived, Duration.ofMillis(10)), server -> {
            try (HttpClient client = HttpClient.builder().maxConnectionsPerOrigin(2).build()) {
                List<String> answered = new ArrayList<>();
                TaskGroup.scope(g -> {
                    for (int i = 0; i < 40; i++) {
                        String path = "/" + i;
                        // every third request gives up after 25 ms, long before its turn would come
                        Duration limit = i % 3 == 2 ? Duration.ofMillis(25) : Duration.ofSeconds(60);
                        g.spawn(() -> {
                            String body = Timeout.withTimeoutOrNull(limit, () -> client.send(ClientRequest.get(server.uri(path))).body().text());
                            if (body != null) answered.add(body);
                            return null;
                        });
                    }
                    return null;
                });
                assertEquals(0, client.stats().waiting());
                assertEquals(2, client.stats().open(), "no place was lost to a cancelled waiter");
                assertIncreasing(arrived, "the server saw the requests in the order they came");
                assertIncreasing(answered, "answers in order");
                for (String p : arrived) {
                    int i = Integer.parseInt(p.substring(1));
                    assertTrue(i % 3 != 2 || i < 6, "a request that gave up at 25 ms never reached the server: " + p);
                }
                for (int i = 0; i < 40; i++) {
                    if (i % 3 != 2) assertTrue(arrived.contains("/" + i), "/" + i + " was served");
                }
                assertTrue(arrived.contains("/5"), "/5's turn came at 20 ms, before it gave up: " + arrived);
                assertEquals(3, server.accepted(), "/5 gave up mid-exchange and closed its connection; the rest reused two");
            }
            return null;
        }));
    }

    private static void assertIncreasing(List<String> paths, String what) {
        for (int i = 1; i < paths.size(); i++) {
            assertTrue(Integer.parseInt(paths.get(i - 1).substring(1)) < Integer.parseInt(paths.get(i).substring(1)), what + ": " + paths);
        }
    }

    @Test
    void aWaiterServedAsItsDeadlinePassesGivesTheConnectionBack() throws Exception {
        List<String> arrived = new ArrayList<>();
        VirtualClock.run(() -> ScriptedServer.with(recording(arrived, Duration.ofMillis(10)), server -> {
            try (HttpClient client = HttpClient.builder().maxConnectionsPerOrigin(1).build()) {
                TaskGroup.scope(g -> {
                    g.spawn(() -> client.send(ClientRequest.get(server.uri("/first"))).body().text());
                    // its deadline is the instant the first answer frees the connection (10 ms on the virtual clock)
                    g.spawn(() -> Timeout.withTimeoutOrNull(Duration.ofMillis(10),
                            () -> client.send(ClientRequest.get(server.uri("/second"))).body().text()));
                    return null;
                });
                assertEquals(new PoolStats(1, 1, 0, 1), client.stats(), "the connection is back, idle, whoever won the race");
                assertEquals("/third", client.send(ClientRequest.get(server.uri("/third"))).body().text());
                assertEquals(1, server.accepted());
            }
            return null;
        }));
        assertEquals("/first", arrived.get(0));
        assertEquals("/third", arrived.get(arrived.size() - 1));
    }

    @Test
    void waitersForRoomUnderTheTotalAreServedInArrivalOrderAcrossOrigins() throws Exception {
        List<String> arrivedA = new ArrayList<>(), arrivedB = new ArrayList<>();
        List<String> order = new ArrayList<>();
        VirtualClock.run(() -> ScriptedServer.with(recording(arrivedA, Duration.ofMillis(5)), a ->
                ScriptedServer.with(recording(arrivedB, Duration.ofMillis(5)), b -> {
                    try (HttpClient client = HttpClient.builder().maxConnections(1).build()) {
                        TaskGroup.scope(g -> {
                            for (int i = 0; i < 12; i++) {
                                ScriptedServer to = i % 2 == 0 ? a : b;
                                String path = "/" + i;
                                g.spawn(() -> {
                                    String body = client.send(ClientRequest.get(to.uri(path))).body().text();
                                    order.add(body);
                                    return null;
                                });
                            }
                            return null;
                        });
                        assertTrue(client.stats().open() <= 1);
                        assertEquals(0, client.stats().waiting());
                    }
                    return null;
                })));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) expected.add("/" + i);
        assertEquals(expected, order, "one connection in all: origins alternate in the order requests came");
    }

    @Test
    void closingTheClientRefusesItsWaitersAndLeaksNothing() throws Exception {
        List<String> arrived = new ArrayList<>();
        VirtualClock.run(() -> ScriptedServer.with(recording(arrived, Duration.ofMillis(50)), server -> {
            HttpClient client = HttpClient.builder().maxConnectionsPerOrigin(1).build();
            List<Throwable> failures = new ArrayList<>();
            TaskGroup.scope(g -> {
                g.spawn(() -> client.send(ClientRequest.get(server.uri("/busy"))).body().text());
                for (int i = 0; i < 5; i++) {
                    String path = "/" + i;
                    g.spawn(() -> {
                        try {
                            return client.send(ClientRequest.get(server.uri(path))).body().text();
                        } catch (IllegalStateException e) {
                            failures.add(e);
                            return null;
                        }
                    });
                }
                Xiio.sleep(Duration.ofMillis(10));
                client.close();
                return null;
            });
            assertEquals(5, failures.size(), "every waiter was refused: " + failures);
            assertEquals(new PoolStats(0, 0, 0, 1), client.stats(), "the busy connection closed when it came back");
            assertThrows(IllegalStateException.class, () -> client.send(ClientRequest.get(server.uri("/late"))));
            return null;
        }));
        assertEquals(List.of("/busy"), arrived);
    }
}
