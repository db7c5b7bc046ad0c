package dev.latchkey.core.keys;

import dev.latchkey.core.token.AccessTokenIssuer;
import dev.latchkey.core.token.AccessTokenType;
import dev.latchkey.core.token.OpenedSigningKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The token-issue step the use cases that mint an access token outside a session share (the API-key token exchange,
 * a service client's token): the container's current signing key (re-opened after a rotation), the issuer
 * ({@code iss}, read when a token is issued, so that error responses need no issuer configured), the access-token
 * lifetime and the tokens' {@code typ} (RFC 9068). Thread-safe.
 */
public final class AccessTokenMint {

    private final CurrentKeys signingKeys;
    private final Supplier<String> issuer;
    private final Duration lifetime;
    private final AccessTokenType type;
    private final Clock clock;
    private final SecureRandom random;
    private AccessTokenIssuer signer;

    /**
     * @param signingKeys the container's signing keys
     * @param issuer {@code iss}
     * @param lifetime the access-token lifetime (the longest a minted token lives)
     * @param type the tokens' {@code typ}
     * @param clock {@code iat}, {@code exp}
     * @param random {@code jti}
     */
    public AccessTokenMint(CurrentKeys signingKeys, Supplier<String> issuer, Duration lifetime, AccessTokenType type,
            Clock clock, SecureRandom random) {
        this.signingKeys = Objects.requireNonNull(signingKeys, "signingKeys");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.type = Objects.requireNonNull(type, "type");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A mint of {@code JWT}-typed tokens ({@link AccessTokenType#JWT}, the default). */
    public AccessTokenMint(CurrentKeys signingKeys, Supplier<String> issuer, Duration lifetime, Clock clock,
            SecureRandom random) {
        this(signingKeys, issuer, lifetime, AccessTokenType.JWT, clock, random);
    }

    /** The issuer, {@code iss}. */
    public String issuer() {
        return issuer.get();
    }

    /** The access-token lifetime. */
    public Duration lifetime() {
        return lifetime;
    }

    /**
     * The signer for the current signing key: build the claims with its {@link AccessTokenIssuer#newClaims} and sign
     * them with the same instance, so that {@code kid} and key agree across a rotation.
     */
    public synchronized AccessTokenIssuer signer() {
        OpenedSigningKey key = signingKeys.signingKey();
        if (signer == null || !signer.kid().equals(key.kid())) {
            signer = new AccessTokenIssuer(key, type, clock, random);
        }
        return signer;
    }
}
