package xiio.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xiio.tls.TlsTestSupport.Certs;

/** SSLContexts from PKCS#12 key stores, PEM keys in every form openssl writes, trust stores and single certificates. */
class TlsContextBuilderTest {
    @TempDir
    static Path dir;
    static Certs certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = Certs.create(dir);
    }

    /** A handshake from a client trusting {@code trust} to a server with {@code server}; returns the server's certificate CN. */
    static String handshake(SSLContext server, SSLContext trust) throws Exception {
        return TlsStreamTest.converse(TlsConfig.of(server), tls -> {
            tls.handshake();
            return null;
        }, "localhost", TlsConfig.of(trust), tls -> {
            tls.handshake();
            return ((X509Certificate) tls.session().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        });
    }

    /** Makes a self-signed localhost certificate for the key in {@code key}; returns its path. */
    static Path selfSign(Path key, String name) throws Exception {
        TlsTestSupport.openssl(dir, "req", "-x509", "-key", key.toString(), "-out", name + ".pem", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost");
        return dir.resolve(name + ".pem");
    }

    static void checkPemKey(String name, String... genArgs) throws Exception {
        TlsTestSupport.openssl(dir, genArgs);
        Path key = dir.resolve(name + ".key");
        Path cert = selfSign(key, name);
        SSLContext server = new TlsContextBuilder().pemKey(cert, key).build();
        SSLContext client = new TlsContextBuilder().trustPem(cert).build();
        assertEquals("CN=localhost", handshake(server, client), name);
    }

    @Test
    void pemKeysInEveryFormOpensslWrites() throws Exception {
        checkPemKey("rsa-pkcs1", "genrsa", "-traditional", "-out", "rsa-pkcs1.key", "2048");
        assertTrue(Files.readString(dir.resolve("rsa-pkcs1.key")).contains("BEGIN RSA PRIVATE KEY"));
        checkPemKey("rsa-pkcs8", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-pkcs8.key");
        checkPemKey("ec-sec1", "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "ec-sec1.key");
        assertTrue(Files.readString(dir.resolve("ec-sec1.key")).contains("BEGIN EC PRIVATE KEY"));
        checkPemKey("ec384-sec1", "ecparam", "-genkey", "-name", "secp384r1", "-noout", "-out", "ec384-sec1.key");
        checkPemKey("ed25519", "genpkey", "-algorithm", "ed25519", "-out", "ed25519.key");
    }

    @Test
    void encryptedPkcs8KeyWithItsPassword() throws Exception {
        TlsTestSupport.openssl(dir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "server.key", "-out", "server-enc.key",
                "-passout", "pass:sesame");
        Path key = dir.resolve("server-enc.key");
        assertTrue(Files.readString(key).contains("BEGIN ENCRYPTED PRIVATE KEY"));
        SSLContext server = new TlsContextBuilder().pemKey(certs.serverPem(), key, "sesame".toCharArray()).build();
        assertEquals("CN=localhost", handshake(server, certs.client()));

        IOException wrong = assertThrows(IOException.class,
                () -> new TlsContextBuilder().pemKey(certs.serverPem(), key, "wrong".toCharArray()));
        assertTrue(wrong.getMessage().contains("server-enc.key") && wrong.getMessage().contains("wrong password"), wrong.getMessage());
        IOException none = assertThrows(IOException.class, () -> new TlsContextBuilder().pemKey(certs.serverPem(), key));
        assertTrue(none.getMessage().contains("encrypted; pass its password"), none.getMessage());
    }

    @Test
    void legacyEncryptedPemIsExplained() throws Exception {
        TlsTestSupport.openssl(dir, "genrsa", "-traditional", "-aes128", "-passout", "pass:x", "-out", "legacy.key", "2048");
        IOException e = assertThrows(IOException.class,
                () -> new TlsContextBuilder().pemKey(certs.serverPem(), dir.resolve("legacy.key"), "x".toCharArray()));
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
    }

    @Test
    void pkcs12KeyStoreFromOpensslAndKeytool() throws Exception {
        TlsTestSupport.openssl(dir, "pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-certfile", "ca.pem",
                "-out", "server.p12", "-passout", "pass:secret");
        SSLContext server = new TlsContextBuilder().keyStore(dir.resolve("server.p12"), "secret".toCharArray()).build();
        assertEquals("CN=localhost", handshake(server, certs.client()));

        IOException wrong = assertThrows(IOException.class,
                () -> new TlsContextBuilder().keyStore(dir.resolve("server.p12"), "nope".toCharArray()));
        assertTrue(wrong.getMessage().contains("server.p12") && wrong.getMessage().contains("password"), wrong.getMessage());

        // keytool: a self-signed key, and its certificate exported into a trust store
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-keystore", "kt.p12", "-storetype", "PKCS12", "-storepass", "secret1", "-alias", "srv",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2");
        run(keytool, "-exportcert", "-keystore", "kt.p12", "-storepass", "secret1", "-alias", "srv", "-rfc", "-file", "kt.pem");
        run(keytool, "-importcert", "-noprompt", "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass", "secret2",
                "-alias", "srv", "-file", "kt.pem");
        SSLContext ktServer = new TlsContextBuilder().keyStore(dir.resolve("kt.p12"), "secret1".toCharArray()).build();
        SSLContext ktClient = new TlsContextBuilder().trustStore(dir.resolve("trust.p12"), "secret2".toCharArray()).build();
        assertEquals("CN=localhost", handshake(ktServer, ktClient));
        // a trust store without keys is no key store
        IOException noKey = assertThrows(IOException.class,
                () -> new TlsContextBuilder().keyStore(dir.resolve("trust.p12"), "secret2".toCharArray()));
        assertTrue(noKey.getMessage().contains("holds no private key"), noKey.getMessage());
    }

    @Test
    void trustThisCertificateAndSystemDefaultsTogether() throws Exception {
        X509Certificate ca = TlsContextBuilder.readCertificates(certs.caPem()).getFirst();
        SSLContext client = new TlsContextBuilder().trust(ca).trustSystemDefaults().build();
        assertEquals("CN=localhost", handshake(certs.server(), client));
    }

    @Test
    void badFilesFailNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThrows(NoSuchFileException.class, () -> new TlsContextBuilder().trustPem(missing));
        assertThrows(NoSuchFileException.class, () -> new TlsContextBuilder().keyStore(dir.resolve("missing.p12"), new char[0]));

        Path text = Files.writeString(dir.resolve("notes.pem"), "just some text\n");
        IOException noCert = assertThrows(IOException.class, () -> new TlsContextBuilder().trustPem(text));
        assertTrue(noCert.getMessage().contains("notes.pem") && noCert.getMessage().contains("no '-----BEGIN CERTIFICATE-----'"),
                noCert.getMessage());
        IOException noKey = assertThrows(IOException.class, () -> new TlsContextBuilder().pemKey(certs.serverPem(), text));
        assertTrue(noKey.getMessage().contains("no private key found"), noKey.getMessage());
        IOException notAStore = assertThrows(IOException.class, () -> new TlsContextBuilder().keyStore(text, new char[0]));
        assertTrue(notAStore.getMessage().contains("notes.pem"), notAStore.getMessage());

        TlsTestSupport.openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "lonely-rsa.key");
        IOException mismatch = assertThrows(IOException.class,
                () -> new TlsContextBuilder().pemKey(certs.serverPem(), dir.resolve("lonely-rsa.key")));
        assertTrue(mismatch.getMessage().contains("RSA key") && mismatch.getMessage().contains("EC key"), mismatch.getMessage());
    }

    @Test
    void noKeysAndNoTrustIsTheJdkDefault() throws Exception {
        SSLContext c = new TlsContextBuilder().build();
        // (not getSupportedSSLParameters(): the JDK opens an SSLSocket, an fd, to answer it)
        assertTrue(List.of(c.createSSLEngine().getSupportedProtocols()).contains("TLSv1.3"));
    }

    static void run(String... cmd) throws Exception {
        Path log = Files.createTempFile(dir, "tool", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(Path.of("/dev/null").toFile()).start();
        try {
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed:\n" + Files.readString(log));
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
