package xiio.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import xiio.core.Xiio;
import xiio.io.ByteStream;
import xiio.unix.sys.FileSyscalls;

/**
 * Shared helpers of the TLS tests: certificates made with openssl at test time, a
 * duplex in-memory transport made of two pipes, and contexts built from the files.
 */
final class TlsTestSupport {
    private TlsTestSupport() {}

    /** One end of a duplex pipe pair: reads one pipe, writes the other. */
    static final class PipeStream implements ByteStream {
        private final int readFd;
        private int writeFd;
        private boolean closed;
        final String name;

        PipeStream(int readFd, int writeFd, String name) {
            this.readFd = readFd;
            this.writeFd = writeFd;
            this.name = name;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (closed) throw new IOException(name + " is closed");
            return Xiio.read(readFd, buf, off, len);
        }

        @Override
        public int write(byte[] buf, int off, int len) throws IOException {
            if (closed) throw new IOException(name + " is closed");
            if (writeFd < 0) throw new IOException(name + ": output was shut down");
            return Xiio.write(writeFd, buf, off, len);
        }

        @Override
        public void shutdownOutput() {
            if (writeFd >= 0) {
                Xiio.closing(writeFd);
                FileSyscalls.get().close(writeFd);
                writeFd = -1;
            }
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            shutdownOutput();
            Xiio.closing(readFd);
            FileSyscalls.get().close(readFd);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The stack trace with causes, for assertion messages. */
    static String trace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    /** Two connected streams: what one writes, the other reads. Close both. */
    static PipeStream[] pipePair() throws IOException {
        int[] ab = FileSyscalls.get().pipe();
        int[] ba = FileSyscalls.get().pipe();
        return new PipeStream[] {new PipeStream(ba[0], ab[1], "pipe end A"), new PipeStream(ab[0], ba[1], "pipe end B")};
    }

    /**
     * Certificates for the tests, made by openssl in {@code dir}: a CA; server
     * certificates it signed for localhost/127.0.0.1 and for other.test; one that
     * expired; a self-signed one nobody trusts; a client certificate.
     */
    record Certs(Path dir) {
        Path caPem() { return dir.resolve("ca.pem"); }
        Path serverPem() { return dir.resolve("server.pem"); }
        Path serverKey() { return dir.resolve("server.key"); }
        Path otherPem() { return dir.resolve("other.pem"); }
        Path otherKey() { return dir.resolve("other.key"); }
        Path expiredPem() { return dir.resolve("expired.pem"); }
        Path expiredKey() { return dir.resolve("expired.key"); }
        Path selfPem() { return dir.resolve("self.pem"); }
        Path selfKey() { return dir.resolve("self.key"); }
        Path clientPem() { return dir.resolve("client.pem"); }
        Path clientKey() { return dir.resolve("client.key"); }

        static Certs create(Path dir) throws Exception {
            Certs c = new Certs(dir);
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=xiio test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            c.signed("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1", "30");
            c.signed("other", "other.test", "subjectAltName=DNS:other.test", "30");
            c.signed("expired", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-1");
            c.signed("client", "xiio test client", "extendedKeyUsage=clientAuth", "30");
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "self.key", "-out", "self.pem", "-days", "30", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
            return c;
        }

        private void signed(String name, String cn, String ext, String days) throws Exception {
            openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn);
            Files.writeString(dir.resolve(name + ".ext"), ext + "\n");
            openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", days, "-extfile", name + ".ext", "-out", name + ".pem");
        }

        /** A server context with the localhost certificate. */
        SSLContext server() throws Exception {
            return new TlsContextBuilder().pemKey(serverPem(), serverKey()).build();
        }

        /** A client context trusting the test CA. */
        SSLContext client() throws Exception {
            return new TlsContextBuilder().trustPem(caPem()).build();
        }
    }

    /** Runs openssl in {@code dir}; fails with its output if it fails. Bounded to 30 s. */
    static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "openssl", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("openssl " + args[0] + " took over 30 s");
            if (p.exitValue() != 0) {
                throw new AssertionError("openssl " + String.join(" ", args) + " failed:\n" + Files.readString(log));
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
