package dev.latchkey.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Signs OpenID Connect ID tokens (OpenID Connect Core 1.0 §2) with RS256 (§15.1: every OP supports it; or ES256 per
 * application), header
 * {@code typ JWT} and {@code kid} the RFC 7638 thumbprint of the ring's active RS256 key. An ID token is never an
 * access token: it carries {@code nonce} and/or {@code at_hash} claims {@link AccessTokenVerifier} refuses, and is
 * signed by a key whose {@code kid} the access-token verifier never resolves (only ES256 keys). Thread-safe.
 */
public final class IdTokenIssuer {

    private final String kid;
    private final JWSSigner signer;
    private final JWSHeader header;

    /** @param key the active RS256 key, opened once per container */
    public IdTokenIssuer(OpenedRsaSigningKey key) {
        this(Objects.requireNonNull(key, "key").kid(), new RSASSASigner(key.privateKey()), JWSAlgorithm.RS256);
    }

    /**
     * An issuer of ES256 ID tokens, for applications registered with {@code id_token_signed_response_alg ES256}
     * (OpenID Connect Registration §2): the ring's active ES256 key, the one access tokens use. Its {@code at_hash}
     * is the same SHA-256 left half (ES256's hash is SHA-256 too).
     *
     * @param key the active ES256 key
     */
    public IdTokenIssuer(OpenedSigningKey key) {
        this(Objects.requireNonNull(key, "key").kid(), ecSigner(key), JWSAlgorithm.ES256);
    }

    private IdTokenIssuer(String kid, JWSSigner signer, JWSAlgorithm algorithm) {
        this.kid = kid;
        this.signer = signer;
        this.header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(kid).build();
    }

    private static JWSSigner ecSigner(OpenedSigningKey key) {
        return new Es256Signer(key.privateKey());
    }

    /** The {@code kid} of the key this issuer signs with. */
    public String kid() {
        return kid;
    }

    /** The JWS algorithm ({@code RS256} or {@code ES256}). */
    public String algorithm() {
        return header.getAlgorithm().getName();
    }

    /**
     * The claims of one ID token (OpenID Connect Core §2, §3.1.3.6, §5.1).
     *
     * @param issuer {@code iss}
     * @param subject {@code sub}
     * @param clientId {@code aud} (the one audience) and {@code azp}
     * @param issuedAt {@code iat}
     * @param expiresAt {@code exp}
     * @param authTime {@code auth_time}: when the end user authenticated
     * @param nonce {@code nonce} of the authorization request, when it had one
     * @param acr {@code acr}, when known
     * @param amr {@code amr}: how the user authenticated ({@code pwd}, {@code hwk}…)
     * @param sessionId {@code sid} (OpenID Connect Front-Channel Logout §3): the Latchkey session
     * @param accessToken the access token issued with it, for {@code at_hash} (§3.1.3.6), when there is one
     * @param profile the scope-dependent claims ({@code email}, {@code email_verified}, {@code name}…)
     */
    public record Claims(String issuer, String subject, String clientId, Instant issuedAt, Instant expiresAt,
            Instant authTime, Optional<String> nonce, Optional<String> acr, List<String> amr, String sessionId,
            Optional<String> accessToken, Map<String, Object> profile) {

        /** Checks the required members. */
        public Claims {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(authTime, "authTime");
            Objects.requireNonNull(sessionId, "sessionId");
            nonce = Objects.requireNonNull(nonce, "nonce");
            acr = Objects.requireNonNull(acr, "acr");
            amr = List.copyOf(amr);
            accessToken = Objects.requireNonNull(accessToken, "accessToken");
            profile = Map.copyOf(profile);
            if (!expiresAt.isAfter(issuedAt)) {
                throw new IllegalArgumentException("exp must be after iat");
            }
        }
    }

    /** Signs the claims: the compact serialization of the RS256 JWS. */
    public String issue(Claims claims) {
        JWTClaimsSet.Builder jwt = new JWTClaimsSet.Builder();
        claims.profile().forEach(jwt::claim);
        jwt.issuer(claims.issuer())
                .subject(claims.subject())
                .audience(claims.clientId())
                .claim("azp", claims.clientId())
                .expirationTime(Date.from(claims.expiresAt()))
                .issueTime(Date.from(claims.issuedAt()))
                .claim("auth_time", claims.authTime().getEpochSecond())
                .claim("sid", claims.sessionId());
        claims.nonce().ifPresent(value -> jwt.claim("nonce", value));
        claims.acr().ifPresent(value -> jwt.claim("acr", value));
        if (!claims.amr().isEmpty()) {
            jwt.claim("amr", claims.amr());
        }
        claims.accessToken().ifPresent(value -> jwt.claim("at_hash", atHash(value)));
        SignedJWT signed = new SignedJWT(header, jwt.build());
        try {
            signed.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("ID token signing failed", e);
        }
        return signed.serialize();
    }

    /**
     * {@code at_hash} (OpenID Connect Core §3.1.3.6): base64url of the left half of SHA-256 over the ASCII access
     * token, SHA-256 being the hash of RS256.
     */
    static String atHash(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64Url.encode(Arrays.copyOf(digest, digest.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
