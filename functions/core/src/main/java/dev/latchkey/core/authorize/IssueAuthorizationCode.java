package dev.latchkey.core.authorize;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues an authorization code once the user has signed in (and consented) at the hosted pages: 256 random bits,
 * base64url (43 characters), stored only as its hash, for {@link AuthorizationCode#MAX_LIFETIME} at most.
 */
public final class IssueAuthorizationCode {

    private static final int CODE_BYTES = 32;

    private final AuthorizationCodes codes;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param codes the code store
     * @param lifetime how long a code stays redeemable, more than 0 and at most 60 seconds
     * @param clock the current time
     * @param random the code's randomness
     */
    public IssueAuthorizationCode(AuthorizationCodes codes, Duration lifetime, Clock clock, SecureRandom random) {
        this.codes = Objects.requireNonNull(codes, "codes");
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(AuthorizationCode.MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("code lifetime must be more than 0 and at most 60 seconds");
        }
        this.lifetime = lifetime;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * The grant one sign-in made, before it has a code.
     *
     * @param clientId the application
     * @param redirectUri the request's exact {@code redirect_uri}, already matched against the registered ones
     * @param pkce the request's challenge
     * @param userId the user
     * @param sessionId the Latchkey session
     * @param scope the granted scope
     * @param nonce the request's {@code nonce}
     * @param authTime when the user authenticated
     * @param amr how
     */
    public record Grant(String clientId, String redirectUri, Pkce pkce, String userId, String sessionId,
            List<String> scope, Optional<String> nonce, Instant authTime, List<String> amr) {
    }

    /** Stores the grant under a fresh code and returns the code, to send to the redirect URI. */
    public String issue(Grant grant) {
        byte[] bytes = new byte[CODE_BYTES];
        random.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        codes.save(new AuthorizationCode(AuthorizationCodes.hash(code), grant.clientId(), grant.redirectUri(),
                grant.pkce(), grant.userId(), grant.sessionId(), grant.scope(), grant.nonce(), grant.authTime(),
                grant.amr(), now, now.plus(lifetime)));
        return code;
    }
}
