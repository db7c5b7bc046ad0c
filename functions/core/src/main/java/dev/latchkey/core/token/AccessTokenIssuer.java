package dev.latchkey.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Signs access tokens: JWTs with ES256 (RFC 7518 §3.4), header {@code typ} = the configured
 * {@link AccessTokenType} ({@code JWT} by default, {@code at+jwt} for RFC 9068 §2.1) and {@code kid} = the
 * signing key's RFC 7638 thumbprint, signed by {@link Es256Signer}. Thread-safe; build one per container around
 * the {@link OpenedSigningKey} of the active key.
 */
public final class AccessTokenIssuer {

    private static final int JWT_ID_BYTES = 16;

    private final OpenedSigningKey key;
    private final AccessTokenType type;
    private final JWSSigner signer;
    private final JWSHeader header;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * An issuer of {@link AccessTokenType#JWT} tokens, the default type.
     *
     * @see #AccessTokenIssuer(OpenedSigningKey, AccessTokenType, Clock, SecureRandom)
     */
    public AccessTokenIssuer(OpenedSigningKey key, Clock clock, SecureRandom random) {
        this(key, AccessTokenType.JWT, clock, random);
    }

    /**
     * @param key the active signing key, opened once per container
     * @param type the {@code typ} header of every token this issuer signs
     * @param clock gives {@code iat} in {@link #newClaims}
     * @param random makes {@code jti} values in {@link #newClaims}
     */
    public AccessTokenIssuer(OpenedSigningKey key, AccessTokenType type, Clock clock, SecureRandom random) {
        this.key = Objects.requireNonNull(key, "key");
        this.type = Objects.requireNonNull(type, "type");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.signer = new Es256Signer(key.privateKey());
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(type.header()))
                .keyID(key.kid()).build();
    }

    /** The {@code kid} of the key this issuer signs with. */
    public String kid() {
        return key.kid();
    }

    /** The {@code typ} of the tokens this issuer signs. */
    public AccessTokenType type() {
        return type;
    }

    /**
     * A builder with {@code iat} = now, {@code exp} = now + {@code lifetime} and a fresh random
     * 128-bit {@code jti} (base64url); the caller adds {@code iss}, {@code sub}, {@code aud} and the
     * rest. The lifetime is the caller's choice (design default: 15 minutes, from configuration).
     *
     * @throws IllegalArgumentException when {@code lifetime} is not positive
     */
    public AccessTokenClaims.Builder newClaims(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive");
        }
        byte[] id = new byte[JWT_ID_BYTES];
        random.nextBytes(id);
        return AccessTokenClaims.builder().issuedAt(clock.instant()).lifetime(lifetime).jwtId(Base64Url.encode(id));
    }

    /**
     * Signs {@code claims} as an access token: header {@code {"alg":"ES256","typ":<type>,"kid":…}};
     * claims {@code iss sub aud exp iat jti}, then {@code scope} (space-joined), {@code client_id},
     * {@code org}, {@code sid}, {@code amr}, {@code auth_time}, {@code token_use} when present. The signature is
     * r‖s, 64 bytes (RFC 7518 §3.4).
     *
     * @return the compact serialization (RFC 7515 §7.1)
     */
    public String issue(AccessTokenClaims claims) {
        JWTClaimsSet.Builder jwt = new JWTClaimsSet.Builder()
                .issuer(claims.issuer())
                .subject(claims.subject())
                .audience(List.copyOf(claims.audience()))
                .expirationTime(Date.from(claims.expiresAt()))
                .issueTime(Date.from(claims.issuedAt()))
                .jwtID(claims.jwtId());
        if (!claims.scope().isEmpty()) {
            jwt.claim("scope", String.join(" ", claims.scope()));
        }
        claims.clientId().ifPresent(value -> jwt.claim("client_id", value));
        claims.org().ifPresent(value -> jwt.claim("org", value));
        claims.sessionId().ifPresent(value -> jwt.claim("sid", value));
        if (!claims.amr().isEmpty()) {
            jwt.claim("amr", List.copyOf(claims.amr()));
        }
        claims.authTime().ifPresent(value -> jwt.claim("auth_time", value.getEpochSecond()));
        claims.tokenUse().ifPresent(value -> jwt.claim("token_use", value));
        SignedJWT signed = new SignedJWT(header, jwt.build());
        try {
            signed.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
        return signed.serialize();
    }
}
