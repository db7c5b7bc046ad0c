package dev.latchkey.core.account;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Confirms an email address with a token from {@link SendVerificationEmail} (API.md "register":
 * {@code POST /v1/auth/email/verify}).
 *
 * <ol>
 *   <li>the token's shape is checked without I/O;</li>
 *   <li>the pending verification is consumed atomically ({@link VerificationTokens#consume}, a
 *       conditional delete): a token works once, and of two parallel uses one wins;</li>
 *   <li>an expired one is refused in code even if the table has not deleted it yet;</li>
 *   <li>{@link UserRepository#markEmailVerified} sets the flag only if the user exists and still has the
 *       address the token was issued for (one conditional write);</li>
 *   <li>the {@code account.email_verified} audit event is recorded after the commit.</li>
 * </ol>
 * Malformed, unknown, used, expired and stale tokens all fail with the same
 * {@link AccountException#invalidVerificationToken()}.
 */
public final class VerifyEmail {

    /** The audit action of a verified address. */
    public static final String ACTION = "account.email_verified";

    private final VerificationTokens tokens;
    private final UserRepository users;
    private final AuditLog auditLog;
    private final IdGenerator ids;
    private final Clock clock;

    /**
     * @param tokens pending verifications
     * @param users the accounts
     * @param auditLog where the success is recorded
     * @param ids makes event ids
     * @param clock decides expiry
     */
    public VerifyEmail(VerificationTokens tokens, UserRepository users, AuditLog auditLog, IdGenerator ids,
            Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.users = Objects.requireNonNull(users, "users");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies the address the token was issued for.
     *
     * @param token the token as the client sent it (may be null or malformed)
     * @return the user, {@code emailVerified} true
     * @throws AccountException {@code VALIDATION_ERROR} / {@code INVALID_TOKEN} for any token that does not work
     * @throws dev.latchkey.core.store.StoreUnavailableException 503
     */
    public User verify(String token, RequestOrigin origin) {
        VerificationToken parsed = VerificationToken.parse(token)
                .orElseThrow(AccountException::invalidVerificationToken);
        EmailVerificationChallenge challenge = tokens.consume(parsed.hash())
                .orElseThrow(AccountException::invalidVerificationToken);
        Instant now = clock.instant();
        if (challenge.expiredAt(now)) {
            throw AccountException.invalidVerificationToken();
        }
        User user = users.markEmailVerified(challenge.userId(), challenge.canonicalEmail(), now)
                .orElseThrow(AccountException::invalidVerificationToken);
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .occurredAt(now)
                .organizationId(user.personalOrganizationId())
                .actor(Actor.user(user.id()))
                .action(ACTION)
                .target("user", user.id())
                .requestId(origin.requestId());
        origin.sourceIp().ifPresent(event::sourceIp);
        auditLog.record(event.build());
        return user;
    }
}
