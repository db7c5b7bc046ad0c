package dev.latchkey.core.principal;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.ratelimit.RateLimit;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling an organization route, as authenticated from the request's credential: a signed-in
 * user (by a session access token) or an API key (by the key itself). Authorization is then the
 * {@code access.Authorizer}'s business.
 */
public sealed interface Caller permits Caller.User, Caller.ApiKey {

    /** The actor of audit events this caller causes. */
    Actor actor();

    /**
     * A signed-in user; the role comes from the membership at each request, so a demotion takes
     * effect at once.
     *
     * @param userId {@code usr_…}
     * @param sessionId {@code ses_…}
     * @param amr the access token's {@code amr} (RFC 8176; empty when absent)
     * @param authTime the access token's {@code auth_time} (empty when absent: no step-up passes)
     */
    record User(String userId, String sessionId, List<String> amr, Optional<Instant> authTime) implements Caller {

        /** Checks nothing is missing. */
        public User {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(sessionId, "sessionId");
            amr = List.copyOf(amr);
            Objects.requireNonNull(authTime, "authTime");
        }

        /** A user whose token carried neither {@code amr} nor {@code auth_time}. */
        public User(String userId, String sessionId) {
            this(userId, sessionId, List.of(), Optional.empty());
        }

        /** The user of an access token, with its {@code amr} and {@code auth_time}. */
        public static User of(AuthenticatedUser user) {
            return new User(user.userId(), user.sessionId(), user.amr(), user.authTime());
        }

        /** The same caller as a {@code /v1/users/me} caller, for the step-up check. */
        public AuthenticatedUser authenticated() {
            return new AuthenticatedUser(userId, sessionId, amr, authTime);
        }

        @Override
        public Actor actor() {
            return Actor.user(userId);
        }
    }

    /**
     * A valid API key (checked, not revoked, not expired, within its rate limit).
     *
     * @param keyId {@code key_…}
     * @param organizationId the one organization the key belongs to
     * @param permissions what it holds, Latchkey's and the organization's own
     * @param expiresAt when the key stops working, if ever (a key it creates never outlives it)
     * @param rateLimit its own rate limit, if any (a key it creates is never less limited)
     */
    record ApiKey(String keyId, String organizationId, Set<String> permissions, Optional<Instant> expiresAt,
            Optional<RateLimit> rateLimit) implements Caller {

        /** Copies the permissions. */
        public ApiKey {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(organizationId, "organizationId");
            permissions = Set.copyOf(permissions);
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(rateLimit, "rateLimit");
        }

        /** A key that never expires and has no rate limit. */
        public ApiKey(String keyId, String organizationId, Set<String> permissions) {
            this(keyId, organizationId, permissions, Optional.empty(), Optional.empty());
        }

        @Override
        public Actor actor() {
            return Actor.apiKey(keyId);
        }
    }
}
