package xiio.tls;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * A TLS handshake failed: the message names the peer and the reason in words
 * ("certificate expired", "hostname mismatch", ...), {@link #reason()} gives the
 * reason as a value, and the cause is the JDK's own exception with its details.
 *
 * {@snippet :
 * try {
 *     tls.handshake();
 * } catch (TlsHandshakeException e) {
 *     if (e.reason() == TlsHandshakeException.Reason.EXPIRED_CERTIFICATE) alertOperator(e.getMessage());
 *     throw e;
 * }
 * }
 */
public final class TlsHandshakeException extends SSLHandshakeException {
    private static final long serialVersionUID = 1L;

    /** Why a handshake failed. */
    public enum Reason {
        /** The peer's certificate does not chain to a certificate we trust. */
        UNTRUSTED_CERTIFICATE("the peer's certificate is not trusted (it does not chain to a trusted certificate:"
                + " add its issuer, or the certificate itself, to the trust store)"),
        /** The peer's certificate (or one of its issuers) has expired. */
        EXPIRED_CERTIFICATE("the peer's certificate has expired"),
        /** The peer's certificate (or one of its issuers) is not valid yet. */
        NOT_YET_VALID_CERTIFICATE("the peer's certificate is not valid yet (check the clocks)"),
        /** The server's certificate does not name the host the client asked for. */
        HOSTNAME_MISMATCH("hostname mismatch: the server's certificate does not name the host we asked for"),
        /** The peer's certificate was revoked. */
        REVOKED_CERTIFICATE("the peer's certificate was revoked"),
        /** The peer sent no certificate although one is required. */
        MISSING_CERTIFICATE("the peer sent no certificate, and one is required"),
        /** The peer refused the handshake with a fatal alert (often: it does not trust our certificate). */
        REJECTED_BY_PEER("the peer refused the handshake (a certificate alert means it does not trust our certificate)"),
        /** No protocol version, cipher suite or ALPN protocol is acceptable to both sides. */
        NO_COMMON_PARAMETERS("the two sides have no protocol version, cipher suite or ALPN protocol in common"),
        /** What arrived is not TLS (often: a plain-text port). */
        NOT_TLS("the peer did not answer with TLS (is it a plain-text port?)"),
        /** The connection ended before the handshake completed. */
        CONNECTION_CLOSED("the connection ended before the handshake completed"),
        /** Anything else; the cause has the details. */
        OTHER("the handshake failed");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        /** The reason in words, as the exception message uses it. */
        public String words() {
            return words;
        }
    }

    private final Reason reason;
    private final String peer;

    /**
     * A failure of the handshake with {@code peer} (a host name or an address), caused by
     * {@code cause} (usually the JDK's exception).
     */
    public TlsHandshakeException(String peer, Reason reason, Throwable cause) {
        super("TLS handshake with " + peer + " failed: " + reason.words() + details(cause));
        this.reason = reason;
        this.peer = peer;
        if (cause != null) initCause(cause);
    }

    /** The same failure again, for a later call on the stream; its cause is {@code earlier}. */
    TlsHandshakeException(TlsHandshakeException earlier) {
        super(earlier.getMessage());
        this.reason = earlier.reason;
        this.peer = earlier.peer;
        initCause(earlier);
    }

    /** Why the handshake failed. */
    public Reason reason() {
        return reason;
    }

    /** Who we tried to shake hands with, as the exception message names them. */
    public String peer() {
        return peer;
    }

    /**
     * Translates an exception of the JDK's engine into one that says who and why: a
     * {@code TlsHandshakeException} for handshake failures, otherwise an
     * {@link SSLException} naming the peer.
     */
    static SSLException describe(SSLException e, String peer, boolean handshakeDone) {
        if (e instanceof TlsHandshakeException) return e;
        if (handshakeDone && !(e instanceof SSLHandshakeException)) {
            SSLException described = new SSLException("TLS session with " + peer + " failed: " + e.getMessage(), e);
            return described;
        }
        return new TlsHandshakeException(peer, classify(e), e);
    }

    /** The messages of the cause chain, each once: the JDK's top message alone is often "Unexpected exception". */
    private static String details(Throwable cause) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (Throwable t = cause; t != null && depth < 4; t = t.getCause(), depth++) {
            String m = t.getMessage();
            if (m == null || m.isBlank() || b.indexOf(m) >= 0) continue;
            b.append(b.isEmpty() ? " [" : ": ").append(m);
        }
        return b.isEmpty() ? "" : b.append(']').toString();
    }

    private static final java.util.regex.Pattern ALERT =
            java.util.regex.Pattern.compile("(?:Received fatal alert: |alert received: Level: fatal; Alert: )(\\w+)");

    static Reason classify(Throwable e) {
        String top = String.valueOf(e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            java.util.regex.Matcher alert = ALERT.matcher(String.valueOf(t.getMessage()));
            if (alert.find()) {
                return switch (alert.group(1)) {
                    case "protocol_version", "insufficient_security", "no_application_protocol" -> Reason.NO_COMMON_PARAMETERS;
                    default -> Reason.REJECTED_BY_PEER;
                };
            }
        }
        if (top.contains("Unsupported or unrecognized SSL message") || top.contains("Unrecognized SSL message")) {
            return Reason.NOT_TLS;
        }
        if (top.contains("No appropriate protocol") || top.contains("no cipher suites in common")
                || top.contains("No matching application layer protocol")) {
            return Reason.NO_COMMON_PARAMETERS;
        }
        if (top.contains("during the TLS handshake")) return Reason.CONNECTION_CLOSED;
        if (top.contains("Empty client certificate chain") || top.contains("Empty server certificate chain")) {
            return Reason.MISSING_CERTIFICATE;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) return Reason.EXPIRED_CERTIFICATE;
            if (t instanceof CertificateNotYetValidException) return Reason.NOT_YET_VALID_CERTIFICATE;
            if (t instanceof CertPathValidatorException v) {
                if (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) return Reason.EXPIRED_CERTIFICATE;
                if (v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) return Reason.NOT_YET_VALID_CERTIFICATE;
                if (v.getReason() == CertPathValidatorException.BasicReason.REVOKED) return Reason.REVOKED_CERTIFICATE;
            }
            String m = String.valueOf(t.getMessage());
            // sun.security.util.HostnameChecker's words; its exception type is a plain CertificateException
            if (m.startsWith("No subject alternative") || m.startsWith("No name matching")
                    || m.startsWith("Illegal given domain name")) {
                return Reason.HOSTNAME_MISMATCH;
            }
            if (t instanceof java.security.cert.CertPathBuilderException
                    || m.contains("unable to find valid certification path")
                    || m.contains("PKIX path building failed")) {
                return Reason.UNTRUSTED_CERTIFICATE;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException || String.valueOf(t.getMessage()).contains("PKIX path validation failed")) {
                return Reason.UNTRUSTED_CERTIFICATE;
            }
        }
        return Reason.OTHER;
    }
}
