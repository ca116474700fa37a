package xiio.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM files: X.509 certificates, and private keys in the forms OpenSSL writes
 * them: PKCS#8 ({@code PRIVATE KEY}, {@code ENCRYPTED PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}). The last two are
 * rewrapped as PKCS#8, the only form the JDK's key factories take.
 */
final class Pem {
    private Pem() {}

    /** One {@code -----BEGIN type-----} block: its type, its headers' presence and its DER bytes. */
    record Block(String type, boolean encryptedHeader, byte[] der) {}

    static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", at);
            if (begin < 0) break;
            int typeEnd = text.indexOf("-----", begin + 11);
            if (typeEnd < 0) throw new IOException(file + ": a PEM BEGIN line is not closed with '-----'");
            String type = text.substring(begin + 11, typeEnd);
            String endLine = "-----END " + type + "-----";
            int end = text.indexOf(endLine, typeEnd);
            if (end < 0) throw new IOException(file + ": '-----BEGIN " + type + "-----' has no matching '" + endLine + "'");
            StringBuilder base64 = new StringBuilder();
            boolean encrypted = false;
            for (String line : text.substring(typeEnd + 5, end).split("\r?\n")) {
                if (line.contains(":")) {
                    encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
                } else {
                    base64.append(line.strip());
                }
            }
            try {
                blocks.add(new Block(type, encrypted, Base64.getDecoder().decode(base64.toString())));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": the '" + type + "' block is not valid base64: " + e.getMessage(), e);
            }
            at = end + endLine.length();
        }
        return blocks;
    }

    /** Every certificate in {@code file}, in order. */
    static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type().equals("CERTIFICATE") || b.type().equals("TRUSTED CERTIFICATE")) {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IOException(file + ": not a valid X.509 certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) throw new IOException(file + ": no '-----BEGIN CERTIFICATE-----' block found");
        return certs;
    }

    /** The private key in {@code file}; {@code password} only for {@code ENCRYPTED PRIVATE KEY}. */
    static PrivateKey privateKey(Path file, char[] password) throws IOException {
        for (Block b : blocks(file)) {
            if (b.encryptedHeader()) {
                throw new IOException(file + ": keys encrypted in the legacy OpenSSL format (Proc-Type: 4,ENCRYPTED)"
                        + " are not supported; convert with 'openssl pkcs8 -topk8 -in old.pem -out new.pem'");
            }
            byte[] pkcs8 = switch (b.type()) {
                case "PRIVATE KEY" -> b.der();
                case "ENCRYPTED PRIVATE KEY" -> decrypt(file, b.der(), password);
                case "RSA PRIVATE KEY" -> sequence(concat(INTEGER_0, RSA_ALGORITHM, octetString(b.der())));
                case "EC PRIVATE KEY" -> sequence(concat(INTEGER_0, sequence(concat(EC_PUBLIC_KEY_OID, curveOf(file, b.der()))),
                        octetString(b.der())));
                default -> null;
            };
            if (pkcs8 != null) return decode(file, pkcs8);
        }
        throw new IOException(file + ": no private key found (expected a '-----BEGIN PRIVATE KEY-----',"
                + " 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY' block)");
    }

    private static byte[] decrypt(Path file, byte[] der, char[] password) throws IOException {
        if (password == null) {
            throw new IOException(file + ": the private key is encrypted; pass its password");
        }
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            SecretKeyFactory factory = SecretKeyFactory.getInstance(info.getAlgName());
            Cipher cipher = Cipher.getInstance(info.getAlgName());
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": cannot decrypt the private key (wrong password?): " + e.getMessage(), e);
        }
    }

    private static PrivateKey decode(Path file, byte[] pkcs8) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : new String[] {"RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA", "XDH"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException wrongAlgorithm) {
                // try the next one; PKCS#8 names its algorithm only by OID
            }
        }
        throw new IOException(file + ": the private key is not an RSA, EC, EdDSA or DSA key this JDK can read");
    }

    // --- just enough DER to rewrap PKCS#1 and SEC1 keys ---------------------------------

    private static final byte[] INTEGER_0 = {0x02, 0x01, 0x00};
    /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** OID id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    /** The named-curve OID (a whole TLV) in a SEC1 ECPrivateKey's {@code [0] parameters}. */
    private static byte[] curveOf(Path file, byte[] sec1) throws IOException {
        int[] seq = header(sec1, 0);
        int at = seq[1];
        int end = seq[1] + seq[2];
        while (at < end) {
            int[] h = header(sec1, at);
            if ((sec1[at] & 0xff) == 0xa0) {
                int[] oid = header(sec1, h[1]);
                return java.util.Arrays.copyOfRange(sec1, h[1], oid[1] + oid[2]);
            }
            at = h[1] + h[2];
        }
        throw new IOException(file + ": the EC private key does not name its curve; convert it with"
                + " 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem'");
    }

    /** {tag, offset of the content, content length} of the DER element at {@code at}. */
    private static int[] header(byte[] der, int at) throws IOException {
        if (at + 2 > der.length) throw new IOException("truncated DER");
        int len = der[at + 1] & 0xff;
        int content = at + 2;
        if (len >= 0x80) {
            int bytes = len & 0x7f;
            if (bytes > 3 || content + bytes > der.length) throw new IOException("bad DER length");
            len = 0;
            for (int i = 0; i < bytes; i++) len = (len << 8) | (der[content++] & 0xff);
        }
        if (content + len > der.length) throw new IOException("truncated DER");
        return new int[] {der[at] & 0xff, content, len};
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] octetString(byte[] content) {
        return tlv(0x04, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
