package xiio.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds an {@link SSLContext} from the files servers and clients usually have: keys
 * from a PKCS#12 (or JKS) key store or from PEM files, trust from a trust store, from
 * PEM certificates, or from one certificate you decide to trust.
 *
 * {@snippet :
 * // a server with a certificate and key from PEM files (Let's Encrypt, openssl)
 * SSLContext server = new TlsContextBuilder()
 *         .pemKey(Path.of("fullchain.pem"), Path.of("privkey.pem"))
 *         .build();
 *
 * // a client that trusts exactly one self-signed certificate
 * SSLContext client = new TlsContextBuilder()
 *         .trust(TlsContextBuilder.readCertificates(Path.of("server.pem")).getFirst())
 *         .build();
 * }
 *
 * <p>Keys: every key added is offered; with several, the server picks the one whose
 * certificate names the host the client asked for with SNI (the JDK's PKIX key
 * manager), else one matching the client's signature algorithms. Trust: with nothing
 * added, the JDK's default certificate authorities; once anything is added, only what
 * was added, plus the JDK's authorities if {@link #trustSystemDefaults()} was called.
 * Files are read when the method is called, so a missing file or a wrong password
 * fails there, naming the file.
 */
public final class TlsContextBuilder {
    private static final char[] ENTRY_PASSWORD = "xiio".toCharArray(); // protects only the in-memory copy

    private final KeyStore keys = emptyStore();
    private KeyStore trust;
    private boolean systemTrust;
    private String protocol = "TLS";

    /** An empty builder: no key, the JDK's default trust. */
    public TlsContextBuilder() {}

    /**
     * Adds every key (with its certificate chain) of a PKCS#12 or JKS key store file.
     *
     * @throws IOException if the file is missing, not a key store, the password is wrong, or it holds no key
     */
    public TlsContextBuilder keyStore(Path file, char[] password) throws IOException {
        KeyStore store = load(file, password);
        int added = copyKeys(store, password, file.toString());
        if (added == 0) throw new IOException("key store " + file + " holds no private key (only certificates?)");
        return this;
    }

    /**
     * Adds every key of a loaded key store, whose keys are protected by {@code password}.
     *
     * @throws IllegalArgumentException if a key cannot be read with {@code password}
     */
    public TlsContextBuilder keyStore(KeyStore store, char[] password) {
        Objects.requireNonNull(store, "store");
        try {
            copyKeys(store, password, "the key store");
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return this;
    }

    /**
     * Adds a key from PEM files: the certificate chain (the server's certificate
     * first, then its intermediates, as in Let's Encrypt's {@code fullchain.pem}) and
     * the unencrypted private key (PKCS#8, PKCS#1 RSA or SEC1 EC).
     *
     * @throws IOException if a file is missing or holds no certificate or key
     */
    public TlsContextBuilder pemKey(Path certificateChain, Path privateKey) throws IOException {
        return pemKey(certificateChain, privateKey, null);
    }

    /**
     * Adds a key from PEM files whose private key is encrypted PKCS#8
     * ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}) with {@code password}.
     *
     * @throws IOException if a file is missing, holds no certificate or key, or the password is wrong
     */
    public TlsContextBuilder pemKey(Path certificateChain, Path privateKey, char[] password) throws IOException {
        List<X509Certificate> chain = Pem.certificates(certificateChain);
        PrivateKey key = Pem.privateKey(privateKey, password);
        if (!chain.getFirst().getPublicKey().getAlgorithm().equals(key.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && chain.getFirst().getPublicKey().getAlgorithm().startsWith("Ed"))) {
            throw new IOException(privateKey + " holds a " + key.getAlgorithm() + " key but the first certificate of "
                    + certificateChain + " is for a " + chain.getFirst().getPublicKey().getAlgorithm() + " key");
        }
        return key(key, chain.toArray(X509Certificate[]::new));
    }

    /** Adds {@code key} with its certificate chain (the key's own certificate first). */
    public TlsContextBuilder key(PrivateKey key, X509Certificate... chain) {
        Objects.requireNonNull(key, "key");
        if (chain.length == 0) throw new IllegalArgumentException("a key needs its certificate chain (at least its own certificate)");
        try {
            keys.setKeyEntry("key-" + keys.size(), key, ENTRY_PASSWORD, chain);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use this key and chain: " + e.getMessage(), e);
        }
        return this;
    }

    /**
     * Trusts the certificates of a PKCS#12 or JKS trust store file (trusted-certificate
     * entries, and the certificates of key entries).
     *
     * @throws IOException if the file is missing, not a key store, or the password is wrong
     */
    public TlsContextBuilder trustStore(Path file, char[] password) throws IOException {
        KeyStore store = load(file, password);
        try {
            for (String alias : java.util.Collections.list(store.aliases())) {
                Certificate c = store.getCertificate(alias);
                if (c instanceof X509Certificate x) trust(x);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the trust store " + file + ": " + e.getMessage(), e);
        }
        return this;
    }

    /**
     * Trusts every certificate in a PEM file (a CA bundle, or a self-signed certificate).
     *
     * @throws IOException if the file is missing or holds no certificate
     */
    public TlsContextBuilder trustPem(Path certificates) throws IOException {
        return trust(Pem.certificates(certificates).toArray(X509Certificate[]::new));
    }

    /**
     * Trusts these certificates: certificate authorities, or a server's (or client's)
     * own certificate, trusted as it is ("trust this certificate", e.g. a self-signed
     * one). Host names are still verified against it.
     */
    public TlsContextBuilder trust(X509Certificate... certificates) {
        if (trust == null) trust = emptyStore();
        try {
            for (X509Certificate c : certificates) {
                trust.setCertificateEntry("trusted-" + trust.size(), Objects.requireNonNull(c, "certificate"));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("in-memory key store failed: " + e.getMessage(), e);
        }
        return this;
    }

    /** Trusts the JDK's default certificate authorities in addition to what was added. */
    public TlsContextBuilder trustSystemDefaults() {
        systemTrust = true;
        return this;
    }

    /** The {@link SSLContext} protocol name; {@code "TLS"} (all versions the JDK enables) by default. */
    public TlsContextBuilder protocol(String name) {
        this.protocol = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * The context with the keys and trust added so far.
     *
     * @throws GeneralSecurityException if the JDK refuses the keys or the protocol
     */
    public SSLContext build() throws GeneralSecurityException {
        KeyManagerFactory kmf = null;
        if (keys.size() > 0) {
            // PKIX (not SunX509): picks among several keys by SNI and signature algorithms
            kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keys, ENTRY_PASSWORD);
        }
        TrustManager[] tms = null;
        if (trust != null) {
            KeyStore anchors = trust;
            if (systemTrust) {
                anchors = emptyStore();
                for (String alias : java.util.Collections.list(trust.aliases())) {
                    anchors.setCertificateEntry(alias, trust.getCertificate(alias));
                }
                TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                system.init((KeyStore) null);
                for (TrustManager tm : system.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) {
                        for (X509Certificate c : x.getAcceptedIssuers()) anchors.setCertificateEntry("system-" + anchors.size(), c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(anchors);
            tms = tmf.getTrustManagers();
        }
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(kmf == null ? null : kmf.getKeyManagers(), tms, null);
        return context;
    }

    /**
     * The certificates in a PEM file, in order: for {@link #trust} and for inspecting them.
     *
     * @throws IOException if the file is missing or holds no certificate
     */
    public static List<X509Certificate> readCertificates(Path pem) throws IOException {
        return Pem.certificates(pem);
    }

    private int copyKeys(KeyStore store, char[] password, String source) throws IOException {
        int added = 0;
        try {
            for (String alias : java.util.Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) continue;
                Key k;
                try {
                    k = store.getKey(alias, password);
                } catch (java.security.UnrecoverableKeyException e) {
                    throw new IOException("cannot read key '" + alias + "' of " + source
                            + " with the store's password (a key with its own password is not supported)", e);
                }
                Certificate[] chain = store.getCertificateChain(alias);
                if (k instanceof PrivateKey pk && chain != null && chain.length > 0) {
                    key(pk, Arrays.copyOf(chain, chain.length, X509Certificate[].class));
                    added++;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the keys of " + source + ": " + e.getMessage(), e);
        }
        return added;
    }

    private static KeyStore load(Path file, char[] password) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "key store file not found");
        }
        try {
            // detects PKCS#12 and JKS by content
            return KeyStore.getInstance(file.toFile(), password);
        } catch (IOException e) {
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password")
                    ? "wrong password (" + e.getMessage() + ")" : e.getMessage();
            throw new IOException("cannot open key store " + file + ": " + why, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot open key store " + file + " (is it PKCS#12 or JKS?): " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("this JDK cannot make an in-memory PKCS12 key store: " + e.getMessage(), e);
        }
    }
}
