package xiio.testing;

import java.util.ArrayList;
import java.util.List;
import xiio.concurrent.TaskGroup;
import xiio.core.Xiio;

/** Run by {@link SeededScheduleTest} in a JVM of its own, where {@code -Dxiio.scheduleSeed} is set. */
public final class SeededOrderProgram {
    private SeededOrderProgram() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("fail")) {
            Xiio.run(() -> {
                throw new IllegalStateException("an order-dependent bug");
            });
        }
        List<Integer> order = Xiio.run(() -> {
            List<Integer> out = new ArrayList<>();
            TaskGroup.scope(g -> {
                for (int i = 0; i < 8; i++) {
                    int id = i;
                    g.spawn(() -> {
                        Xiio.yieldNow();
                        out.add(id);
                        return null;
                    });
                }
                return null;
            });
            return out;
        });
        System.out.println(order);
    }
}
