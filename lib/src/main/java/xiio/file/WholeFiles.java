package xiio.file;

import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** {@link AsyncFile#readAllBytes} and {@link AsyncFile#write(Path, byte[], OpenOption...)}: a whole file at once. */
final class WholeFiles {
    private WholeFiles() {}

    static byte[] readAllBytes(Path path) throws IOException {
        try (AsyncFile f = AsyncFile.open(path)) {
            long size = f.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError(path + " is " + size + " bytes: too large for one array");
            }
            byte[] all = new byte[(int) size];
            int n = f.readNBytes(0, all, 0, all.length);
            if (n < all.length) return Arrays.copyOf(all, n);
            byte[] more = new byte[8192];
            for (int m; (m = f.read(n, more, 0, more.length)) > 0; n += m) {
                if (n + m > Integer.MAX_VALUE - 8) throw new OutOfMemoryError(path + " grew too large for one array");
                if (n + m > all.length) all = Arrays.copyOf(all, Math.max(n + m, Math.min(Integer.MAX_VALUE - 8, 2 * all.length)));
                System.arraycopy(more, 0, all, n, m);
            }
            return n == all.length ? all : Arrays.copyOf(all, n);
        }
    }

    static void write(Path path, byte[] bytes, OpenOption... options) throws IOException {
        Set<OpenOption> how = new HashSet<>(Arrays.asList(options));
        if (how.isEmpty()) {
            how.add(java.nio.file.StandardOpenOption.CREATE);
            how.add(java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        }
        if (!how.contains(java.nio.file.StandardOpenOption.APPEND)) how.add(java.nio.file.StandardOpenOption.WRITE);
        try (AsyncFile f = AsyncFile.open(path, how)) {
            if (f.appends()) f.append(bytes, 0, bytes.length);
            else f.writeAll(0, bytes, 0, bytes.length);
        }
    }
}
