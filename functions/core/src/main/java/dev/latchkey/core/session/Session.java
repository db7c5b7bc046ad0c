package dev.latchkey.core.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One login's session: the refresh-token family behind it. Instants are kept to the millisecond,
 * as they are stored.
 *
 * @param sessionId {@code ses_…}, also the access tokens' {@code sid}
 * @param userId {@code usr_…}, the access tokens' {@code sub}
 * @param organizationId {@code org_…}: the user's organization, the access tokens' {@code org}
 * @param amr how the user authenticated (RFC 8176 values such as {@code pwd}, {@code hwk}); not empty
 * @param authTime when the user authenticated (the access tokens' {@code auth_time})
 * @param createdAt when the session started
 * @param lastUsedAt the last successful refresh (or the start)
 * @param idleExpiresAt unusable from this instant on unless refreshed before; never after {@code absoluteExpiresAt}
 * @param absoluteExpiresAt unusable from this instant on, however often refreshed
 * @param generation the generation of the refresh token that is current now (1 for the first)
 * @param status active or revoked
 * @param revokedAt when it was revoked (present exactly when revoked)
 * @param revokeReason why it was revoked (present exactly when revoked)
 * @param application present when this family is an application's refresh tokens ({@code offline_access},
 *     issue 15) rather than a sign-in: the application and the sign-in session it is bound to
 */
public record Session(String sessionId, String userId, String organizationId, List<String> amr, Instant authTime,
        Instant createdAt, Instant lastUsedAt, Instant idleExpiresAt, Instant absoluteExpiresAt, long generation,
        SessionStatus status, Optional<Instant> revokedAt, Optional<SessionEndReason> revokeReason,
        Optional<SessionApplication> application) {

    private static final Pattern ID = Pattern.compile("[a-z]{2,4}_[0-9A-HJKMNP-TV-Z]{26}");
    private static final Pattern AMR = Pattern.compile("[a-z][a-z0-9_]{1,15}");

    /**
     * Validates and normalizes.
     *
     * @throws IllegalArgumentException when an id has the wrong prefix or shape, {@code amr} is empty
     *     or holds a malformed value, the times are out of order, the generation is below 1, or the
     *     revocation fields do not match the status
     */
    public Session {
        requireId(sessionId, "ses", "sessionId");
        requireId(userId, "usr", "userId");
        requireId(organizationId, "org", "organizationId");
        amr = List.copyOf(Objects.requireNonNull(amr, "amr"));
        if (amr.isEmpty() || !amr.stream().allMatch(v -> AMR.matcher(v).matches())) {
            throw new IllegalArgumentException("amr must hold 1+ values matching " + AMR.pattern());
        }
        authTime = millis(authTime, "authTime");
        createdAt = millis(createdAt, "createdAt");
        lastUsedAt = millis(lastUsedAt, "lastUsedAt");
        idleExpiresAt = millis(idleExpiresAt, "idleExpiresAt");
        absoluteExpiresAt = millis(absoluteExpiresAt, "absoluteExpiresAt");
        if (idleExpiresAt.isAfter(absoluteExpiresAt)) {
            throw new IllegalArgumentException("idleExpiresAt must not be after absoluteExpiresAt");
        }
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1");
        }
        Objects.requireNonNull(status, "status");
        revokedAt = Objects.requireNonNull(revokedAt, "revokedAt").map(t -> t.truncatedTo(ChronoUnit.MILLIS));
        Objects.requireNonNull(revokeReason, "revokeReason");
        boolean revoked = status == SessionStatus.REVOKED;
        if (revoked != revokedAt.isPresent() || revoked != revokeReason.isPresent()) {
            throw new IllegalArgumentException("revokedAt and revokeReason are present exactly when revoked");
        }
        Objects.requireNonNull(application, "application");
    }

    /** A sign-in session (no application). */
    public Session(String sessionId, String userId, String organizationId, List<String> amr, Instant authTime,
            Instant createdAt, Instant lastUsedAt, Instant idleExpiresAt, Instant absoluteExpiresAt, long generation,
            SessionStatus status, Optional<Instant> revokedAt, Optional<SessionEndReason> revokeReason) {
        this(sessionId, userId, organizationId, amr, authTime, createdAt, lastUsedAt, idleExpiresAt,
                absoluteExpiresAt, generation, status, revokedAt, revokeReason, Optional.empty());
    }

    /**
     * A new active session at generation 1, started and authenticated {@code now}.
     *
     * @param policy gives the idle and absolute expiry
     */
    public static Session start(String sessionId, String userId, String organizationId, List<String> amr,
            Instant now, SessionPolicy policy) {
        Instant absolute = now.plus(policy.absoluteLifetime());
        return new Session(sessionId, userId, organizationId, amr, now, now, now, now.plus(policy.idleLifetime()),
                absolute, 1, SessionStatus.ACTIVE, Optional.empty(), Optional.empty());
    }

    /**
     * An application's refresh-token family at generation 1, bound to the sign-in session {@code signIn}: the same
     * user and organization, the {@code amr} and {@code auth_time} of the original ID token (OIDC Core §12.2),
     * ending at the sign-in session's absolute expiry at the latest.
     */
    public static Session startForApplication(String sessionId, Session signIn, SessionApplication application,
            List<String> amr, Instant authTime, Instant now, SessionPolicy policy) {
        Instant absolute = signIn.absoluteExpiresAt();
        Instant idle = now.plus(policy.idleLifetime());
        return new Session(sessionId, signIn.userId(), signIn.organizationId(), amr, authTime, now,
                now, idle.isAfter(absolute) ? absolute : idle, absolute, 1, SessionStatus.ACTIVE, Optional.empty(),
                Optional.empty(), Optional.of(application));
    }

    /** The same session at another generation and state: what the store's conditional writes produce. */
    public Session with(Instant lastUsed, Instant idleExpires, long newGeneration, SessionStatus newStatus,
            Optional<Instant> newRevokedAt, Optional<SessionEndReason> newRevokeReason) {
        return new Session(sessionId, userId, organizationId, amr, authTime, createdAt, lastUsed, idleExpires,
                absoluteExpiresAt, newGeneration, newStatus, newRevokedAt, newRevokeReason, application);
    }

    /**
     * How long its refresh-token items are kept: a day past the absolute expiry, so a late token is
     * still recognised (and refused as expired, audited with that reason) rather than unknown.
     */
    public Instant refreshTokenExpiry() {
        return absoluteExpiresAt.plus(java.time.Duration.ofDays(1));
    }

    /** Whether the session is active and neither idle- nor absolutely expired at {@code now}. */
    public boolean isUsableAt(Instant now) {
        return status == SessionStatus.ACTIVE && now.isBefore(idleExpiresAt) && now.isBefore(absoluteExpiresAt);
    }

    /** The idle expiry a refresh at {@code now} sets: now + idle lifetime, capped at the absolute expiry. */
    public Instant idleExpiryAfterUseAt(Instant now, SessionPolicy policy) {
        Instant idle = now.plus(policy.idleLifetime());
        return idle.isAfter(absoluteExpiresAt) ? absoluteExpiresAt : idle;
    }

    private static void requireId(String value, String prefix, String name) {
        Objects.requireNonNull(value, name);
        if (!value.startsWith(prefix + "_") || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be a " + prefix + "_ id");
        }
    }

    private static Instant millis(Instant value, String name) {
        return Objects.requireNonNull(value, name).truncatedTo(ChronoUnit.MILLIS);
    }
}
