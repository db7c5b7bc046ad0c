package dev.latchkey.core.account;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * Sign-up (API.md "register", issue #3): creates a user, the email claim, a personal organization with
 * the user as owner and the {@code account.registered} audit event in one transaction, then sends a
 * verification mail.
 *
 * <p>Steps, in this order:
 * <ol>
 *   <li>rate limit per source IP ({@code register:ip:<ip>}, default {@link #DEFAULT_IP_LIMIT}) → 429;</li>
 *   <li>{@link PasswordPolicy#accept} with the email's and the name's words as context → 400 with a reason;
 *       the password is hashed only after it passed (oversized input never reaches the hasher);</li>
 *   <li>{@link UserRepository#create}: all or nothing; an existing claim for the canonical email → 409
 *       {@code CONFLICT}, so of any number of parallel registrations of one address exactly one wins
 *       (ASVS 5.0 15.4.2);</li>
 *   <li>{@link SendVerificationEmail}, <em>after</em> the commit. If the token cannot be stored or the mail
 *       cannot be handed over, the account still exists (the registration answered 201) and the user asks
 *       for a new mail through {@link ResendVerification}; a registration is never rolled back for mail.</li>
 * </ol>
 *
 * <p>Nothing here logs or keeps the password; log lines name users by id only.
 */
public final class RegisterUser {

    /** Registrations per source IP and hour. */
    public static final RateLimit DEFAULT_IP_LIMIT = RateLimit.perSeconds(10, 3600);
    /** The audit action of a registration. */
    public static final String ACTION = "account.registered";

    private static final System.Logger LOG = System.getLogger(RegisterUser.class.getName());

    private final UserRepository users;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final SendVerificationEmail verification;
    private final RateLimiter rateLimiter;
    private final RateLimit ipLimit;
    private final IdGenerator ids;
    private final Clock clock;

    /**
     * @param users the accounts
     * @param policy which passwords are accepted
     * @param hasher hashes the accepted password (Argon2id)
     * @param verification issues and mails the verification token
     * @param rateLimiter counts registrations per source IP
     * @param ipLimit the per-IP limit
     * @param ids makes user, organization and event ids
     * @param clock the time source
     */
    public RegisterUser(UserRepository users, PasswordPolicy policy, PasswordHasher hasher,
            SendVerificationEmail verification, RateLimiter rateLimiter, RateLimit ipLimit, IdGenerator ids,
            Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.verification = Objects.requireNonNull(verification, "verification");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.ipLimit = Objects.requireNonNull(ipLimit, "ipLimit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Registers an account.
     *
     * @throws RateLimitedException 429 when the source IP registered too often
     * @throws AccountException 400 for a refused password, 409 {@code EMAIL_TAKEN}
     * @throws StoreUnavailableException 503 when the account cannot be written (nothing is)
     */
    public RegisteredAccount register(RegisterUserCommand command, RequestOrigin origin) {
        RateLimitDecision decision = rateLimiter.consume("register:ip:" + origin.ipBucket(), ipLimit);
        if (!decision.allowed()) {
            throw new RateLimitedException(decision);
        }
        String normalized = policy.accept(command.password(),
                PasswordPolicy.contextWords(command.email(), List.of(command.name())));
        String passwordHash = hasher.hash(normalized);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String userId = ids.next(IdPrefix.USER);
        String organizationId = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, command.email(), command.name(), passwordHash, false, now, organizationId);
        PersonalOrganization organization = new PersonalOrganization(organizationId,
                PersonalOrganization.defaultName(command.name()), now, userId);
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .occurredAt(now)
                .organizationId(organizationId)
                .actor(Actor.user(userId))
                .action(ACTION)
                .target("user", userId)
                .requestId(origin.requestId());
        origin.sourceIp().ifPresent(event::sourceIp);
        users.create(new NewAccount(user, organization, event.build()));
        boolean sent = sendVerification(verification, user);
        return new RegisteredAccount(user, organization, sent);
    }

    /** Sends, and on failure logs (user id and failure kind only) and says so; the account stands. */
    static boolean sendVerification(SendVerificationEmail verification, User user) {
        try {
            verification.send(user);
            return true;
        } catch (MailException | StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "verification mail for " + user.id() + " not sent: "
                    + e.getClass().getSimpleName() + "; the user can ask for another through resend");
            return false;
        }
    }
}
