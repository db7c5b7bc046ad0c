package dev.latchkey.infrastructure.lambda;

import dev.latchkey.core.http.Json;
import dev.latchkey.core.token.AccessTokenIssuer;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.EcPublicJwk;
import dev.latchkey.core.token.OpenedSigningKey;
import dev.latchkey.core.token.VerifiedAccessToken;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The cryptographic and JSON hot path of every function, run before the SnapStart snapshot on throwaway keys that
 * touch no state (no table, no key vault, no audit): an ES256 access token signed by {@link AccessTokenIssuer} and
 * verified by {@link AccessTokenVerifier} (Nimbus, the JDK's EC code; the signer is Bouncy Castle's), an
 * HMAC-SHA-256 (client secrets and API keys are hashed so), an Ed25519 signature verified with Bouncy Castle's
 * {@code Ed25519} (client assertions), and a token response written and read as JSON.
 * The classes these load and the code they run are then in the snapshot, not in the first request after a restore.
 * The issuer and verifier are the production classes with their semantics unchanged; only the key is throwaway.
 */
public final class HotPathPriming {

    private static final String ISSUER = "https://priming.invalid";

    private int signed;
    private int verified;

    /**
     * Runs the hot path once.
     *
     * @throws IllegalStateException when the JDK lacks an algorithm (never on a supported JVM)
     */
    public void run() {
        try {
            Clock clock = Clock.systemUTC();
            SecureRandom random = new SecureRandom();
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = ec.generateKeyPair();
            ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
            String kid = EcPublicJwk.of(publicKey).thumbprint();
            AccessTokenIssuer issuer = new AccessTokenIssuer(new OpenedSigningKey(kid,
                    (ECPrivateKey) pair.getPrivate(), publicKey), clock, random);
            String token = issuer.issue(issuer.newClaims(Duration.ofMinutes(5)).issuer(ISSUER).subject("cli_priming")
                    .audience("https://api.priming.invalid").clientId("cli_priming").org("org_priming")
                    .scope("read").build());
            signed++;
            AccessTokenVerifier verifier = new AccessTokenVerifier(
                    k -> k.equals(kid) ? Optional.of(publicKey) : Optional.empty(), ISSUER,
                    Set.of("https://api.priming.invalid"), clock);
            VerifiedAccessToken checked = verifier.verify(token);
            verified++;

            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            mac.doFinal("priming".getBytes(StandardCharsets.UTF_8));

            // Client assertions are checked with Bouncy Castle's Ed25519 (ClientAssertions): the same class here.
            byte[] message = token.getBytes(StandardCharsets.US_ASCII);
            byte[] secretKey = new byte[Ed25519.SECRET_KEY_SIZE];
            random.nextBytes(secretKey);
            byte[] publicEd25519 = new byte[Ed25519.PUBLIC_KEY_SIZE];
            Ed25519.generatePublicKey(secretKey, 0, publicEd25519, 0);
            byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
            Ed25519.sign(secretKey, 0, publicEd25519, 0, message, 0, message.length, signature, 0);
            if (!Ed25519.verify(signature, 0, publicEd25519, 0, message, 0, message.length)) {
                throw new IllegalStateException("Ed25519 priming signature did not verify");
            }

            Map<String, Object> response = new LinkedHashMap<>();
            response.put("access_token", token);
            response.put("token_type", "Bearer");
            response.put("expires_in", 300);
            response.put("scope", String.join(" ", checked.claims().scope()));
            Json.mapper().readTree(Json.write(response));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("priming needs the JDK's EC, Ed25519 and HMAC", e);
        }
    }

    /** Tokens signed so far (for tests). */
    int signed() {
        return signed;
    }

    /** Tokens verified so far (for tests). */
    int verified() {
        return verified;
    }
}
