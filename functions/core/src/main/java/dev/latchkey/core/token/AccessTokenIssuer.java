package dev.latchkey.core.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Signs access tokens: JWTs with ES256 (RFC 7518 §3.4), header {@code typ} = the configured
 * {@link AccessTokenType} ({@code JWT} by default, {@code at+jwt} for RFC 9068 §2.1) and {@code kid} = the
 * signing key's RFC 7638 thumbprint. Thread-safe; build one per container around the {@link OpenedSigningKey} of
 * the active key.
 */
public final class AccessTokenIssuer {

    private static final int JWT_ID_BYTES = 16;

    private final OpenedSigningKey key;
    private final AccessTokenType type;
    private final Algorithm algorithm;
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
        this.algorithm = Algorithm.ECDSA256(key.publicKey(), key.privateKey());
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
        JWTCreator.Builder jwt = JWT.create()
                .withHeader(Map.of("typ", type.header()))
                .withKeyId(key.kid())
                .withIssuer(claims.issuer())
                .withSubject(claims.subject())
                .withAudience(claims.audience().toArray(String[]::new))
                .withExpiresAt(claims.expiresAt())
                .withIssuedAt(claims.issuedAt())
                .withJWTId(claims.jwtId());
        if (!claims.scope().isEmpty()) {
            jwt.withClaim("scope", String.join(" ", claims.scope()));
        }
        claims.clientId().ifPresent(value -> jwt.withClaim("client_id", value));
        claims.org().ifPresent(value -> jwt.withClaim("org", value));
        claims.sessionId().ifPresent(value -> jwt.withClaim("sid", value));
        if (!claims.amr().isEmpty()) {
            jwt.withArrayClaim("amr", claims.amr().toArray(String[]::new));
        }
        claims.authTime().ifPresent(value -> jwt.withClaim("auth_time", value));
        claims.tokenUse().ifPresent(value -> jwt.withClaim("token_use", value));
        return jwt.sign(algorithm);
    }
}
