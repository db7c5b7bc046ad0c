package dev.latchkey.core.client;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * X.509 certificates for client tests, built with Bouncy Castle's certificate builder (on the core module's test
 * classpath through webauthn4j-test; another module needs bcpkix in test scope to use this class).
 */
public final class ClientCertificateFixture {

    private ClientCertificateFixture() {
    }

    /**
     * A PEM certificate for {@code subject}, valid from {@code notBefore} to {@code notAfter}, signed by a fresh
     * P-256 issuer key (the chain is not what clients register; the key and validity are).
     */
    public static String certificate(PublicKey subject, Instant notBefore, Instant notAfter) {
        try {
            KeyPair issuer = ClientKeyFixture.p256();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(new X500Name("CN=test issuer"),
                    BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name("CN=test client"), SubjectPublicKeyInfo.getInstance(subject.getEncoded()));
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate()))
                    .getEncoded();
            return "-----BEGIN CERTIFICATE-----\n"
                    + new String(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encode(der),
                            StandardCharsets.US_ASCII)
                    + "\n-----END CERTIFICATE-----\n";
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
