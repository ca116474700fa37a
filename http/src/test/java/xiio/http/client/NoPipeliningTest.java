package xiio.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import xiio.concurrent.TaskGroup;
import xiio.concurrent.Timeout;
import xiio.core.Xiio;

/**
 * Pipelining is off: requests waiting for the one connection an origin may have go
 * out one at a time, each after the answer before it. The server looks for the next
 * request while it holds back an answer; with pipelining it would find it there.
 */
class NoPipeliningTest {
    @Test
    void queuedRequestsWaitForTheAnswerBeforeThem() throws Exception {
        boolean[] pipelined = {false};
        ScriptedServer.Script slow = c -> {
            for (ScriptedServer.Request r; (r = c.readRequest()) != null; ) {
                Xiio.sleep(Duration.ofMillis(100)); // the answer is late: a pipelining client would send on
                if (Timeout.withTimeoutOrNull(Duration.ofMillis(50), c::readHead) != null) pipelined[0] = true; // cancel-safe: nothing lost
                c.ok(r.line().split(" ")[1]);
            }
        };
        Xiio.run(() -> ScriptedServer.with(slow, server -> {
            try (HttpClient client = HttpClient.builder().maxConnectionsPerOrigin(1).build()) {
                List<String> paths = TaskGroup.gather(List.of(
                        () -> client.send(ClientRequest.get(server.uri("/a"))).body().text(),
                        () -> client.send(ClientRequest.get(server.uri("/b"))).body().text(),
                        () -> client.send(ClientRequest.get(server.uri("/c"))).body().text()));
                assertEquals(List.of("/a", "/b", "/c"), paths);
                assertEquals(1, server.accepted(), "all three on the one connection");
                assertFalse(pipelined[0], "a request went out before the answer to the one before it");
            }
            return null;
        }));
    }
}
