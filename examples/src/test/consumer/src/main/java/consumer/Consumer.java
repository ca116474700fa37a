package consumer;

import static xiio.core.Xiio.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import xiio.concurrent.TaskGroup;
import xiio.io.FdStream;
import xiio.io.Pipe;

/** Touches each lower layer once (run, a task group, a pipe, a sleep) and says which backend ran it. */
public class Consumer {
    public static void main(String[] args) throws Exception {
        String heard = run(() -> {
            try (Pipe pipe = Pipe.open()) {
                return TaskGroup.scope(group -> {
                    group.spawn("writer", () -> {
                        sleep(Duration.ofMillis(10));
                        try (FdStream out = pipe.writer()) {
                            out.writeAll("hello".getBytes(StandardCharsets.UTF_8), 0, 5);
                        }
                        return null;
                    });
                    byte[] buf = new byte[16];
                    int n = pipe.reader().read(buf, 0, buf.length);
                    return new String(buf, 0, n, StandardCharsets.UTF_8);
                });
            }
        });
        System.out.println("heard " + heard + " on " + backend());
    }
}
