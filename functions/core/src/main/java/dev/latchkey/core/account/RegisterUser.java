package dev.latchkey.core.account;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.principal.RequestOrigin;
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
import java.util.Optional;

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
 * <p><b>Without disclosure</b> ({@link #registerSilently}, {@link RegistrationDisclosure#SILENT}, issue 11 §7): the
 * same steps, then a new address gets its account and verification mail, and a taken one gets nothing created and,
 * while the address's {@link #DEFAULT_NOTICE_LIMIT} lasts, a {@link SignUpAttemptNotice} to its owner; the caller
 * answers the same 202 for both. Both branches do the same expensive work in the same order — the Argon2id hash, the
 * per-address bucket ({@code register:email:<first 128 bits of SHA-256 of the canonical address, hex>}), the one
 * transaction (committed or cancelled), two more store requests (the token write and a read of the new account, or
 * the owner's two-read lookup) and one mail (unless the notice bucket is empty) — so their timing tells nothing
 * (measured in docs/security.md).
 *
 * <p>Nothing here logs or keeps the password; log lines name users by id only.
 */
public final class RegisterUser {

    /** Registrations per source IP and hour. */
    public static final RateLimit DEFAULT_IP_LIMIT = RateLimit.perSeconds(10, 3600);
    /**
     * Sign-up attempts per address and day that may mail it (silent mode): the first sign-up's verification mail
     * counts, every further attempt's "someone tried to sign up with your address" notice too.
     */
    public static final RateLimit DEFAULT_NOTICE_LIMIT = RateLimit.perSeconds(3, 86_400);
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
    private final SignUpAttemptNotice notice;
    private final RateLimit noticeLimit;

    /**
     * @param users the accounts
     * @param policy which passwords are accepted
     * @param hasher hashes the accepted password (Argon2id)
     * @param verification issues and mails the verification token
     * @param rateLimiter counts registrations per source IP
     * @param ipLimit the per-IP limit
     * @param ids makes user, organization and event ids
     * @param clock the time source
     * @param notice mails the owner of a taken address ({@link #registerSilently})
     * @param noticeLimit how many such mails one address gets ({@link #DEFAULT_NOTICE_LIMIT})
     */
    public RegisterUser(UserRepository users, PasswordPolicy policy, PasswordHasher hasher,
            SendVerificationEmail verification, RateLimiter rateLimiter, RateLimit ipLimit, IdGenerator ids,
            Clock clock, SignUpAttemptNotice notice, RateLimit noticeLimit) {
        this.users = Objects.requireNonNull(users, "users");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.verification = Objects.requireNonNull(verification, "verification");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.ipLimit = Objects.requireNonNull(ipLimit, "ipLimit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.notice = Objects.requireNonNull(notice, "notice");
        this.noticeLimit = Objects.requireNonNull(noticeLimit, "noticeLimit");
    }

    /**
     * Registers an account.
     *
     * @throws RateLimitedException 429 when the source IP registered too often
     * @throws AccountException 400 for a refused password, 409 {@code EMAIL_TAKEN}
     * @throws StoreUnavailableException 503 when the account cannot be written (nothing is)
     */
    public RegisteredAccount register(RegisterUserCommand command, RequestOrigin origin) {
        NewAccount account = prepare(command, origin);
        users.create(account);
        boolean sent = sendVerification(verification, account.user());
        return new RegisteredAccount(account.user(), account.organization(), sent);
    }

    /**
     * Registers an account without telling whether the address was taken ({@link RegistrationDisclosure#SILENT}):
     * the caller answers the same for both.
     *
     * @throws RateLimitedException 429 when the source IP registered too often (whatever the address)
     * @throws AccountException 400 for a refused password (a property of the input, never of an account)
     * @throws StoreUnavailableException 503 when the store cannot answer
     */
    public void registerSilently(RegisterUserCommand command, RequestOrigin origin) {
        NewAccount account = prepare(command, origin);
        boolean noticeAllowed = rateLimiter.consume("register:email:"
                + ResendVerification.bucketHash(command.email()), noticeLimit).allowed();
        try {
            users.create(account);
        } catch (AccountException e) {
            if (e.reason() != AccountException.Reason.EMAIL_TAKEN) {
                throw e;
            }
            Optional<User> owner = users.findByEmail(command.email().canonical());
            if (noticeAllowed) {
                owner.ifPresent(this::sendNotice);
            }
            return;
        }
        // The taken branch reads the owner (two reads); this one writes the token (one write) and reads the new
        // account back (one read), so both make the same kinds and number of requests and take the same time.
        users.findById(account.user().id());
        sendVerification(verification, account.user());
    }

    /** Steps 1–2 and the account to write: the IP limit, the password policy, the hash, the new ids. */
    private NewAccount prepare(RegisterUserCommand command, RequestOrigin origin) {
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
        return new NewAccount(user, organization, event.build());
    }

    /** Mails the owner; a failure is logged (user id and failure kind only) and changes nothing of the answer. */
    private void sendNotice(User owner) {
        try {
            notice.send(owner);
        } catch (MailException e) {
            LOG.log(System.Logger.Level.WARNING, "sign-up attempt notice for " + owner.id() + " not sent: "
                    + e.getClass().getSimpleName());
        }
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
