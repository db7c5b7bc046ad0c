package dev.latchkey.core.login;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.core.store.StoreUnavailableException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Forgot password (API.md {@code POST /v1/auth/password/forgot}): mails a single-use reset token to an
 * existing account's mailbox.
 *
 * <p><b>No account enumeration.</b> The caller answers 202 the same way whatever happened: unknown
 * address, mail sent, rate-limited (nothing sent), token not stored or mail not handed over (both
 * logged by user id only). Only input that is not an address at all is 400, and a store failure at the
 * lookup — before anything account-dependent — is 503 for every address alike.
 *
 * <p><b>Rate limits</b>, both counted before the lookup: per source IP ({@code forgot:ip:<ip>}, default
 * {@link #DEFAULT_IP_LIMIT}) and per address ({@code forgot:email:<first 128 bits of SHA-256 of the
 * canonical address>}, default {@link #DEFAULT_EMAIL_LIMIT}), so no bucket key holds an address.
 */
public final class ForgotPassword {

    /** Forgot-password requests per source IP and hour. */
    public static final RateLimit DEFAULT_IP_LIMIT = RateLimit.perSeconds(20, 3600);
    /** Forgot-password requests per address and hour. */
    public static final RateLimit DEFAULT_EMAIL_LIMIT = RateLimit.perSeconds(5, 3600);
    /** How long a reset token works. */
    public static final Duration TTL = Duration.ofMinutes(30);
    /** The path the token is posted to, under the issuer. */
    public static final String RESET_PATH = "/v1/auth/password/reset";
    static final String SUBJECT = "Reset your password";

    private static final System.Logger LOG = System.getLogger(ForgotPassword.class.getName());

    private final UserRepository users;
    private final PasswordResetTokens tokens;
    private final Mailer mailer;
    private final RateLimiter rateLimiter;
    private final RateLimit ipLimit;
    private final RateLimit emailLimit;
    private final SecureRandom random;
    private final Clock clock;
    private final String resetUrl;
    private final LoginAudit audit;

    /**
     * @param users the accounts
     * @param tokens where pending resets are stored
     * @param mailer the mail transport
     * @param rateLimiter counts requests
     * @param ipLimit the per-IP limit
     * @param emailLimit the per-address limit
     * @param issuer the public base URL; the mail names {@code <issuer>}{@value #RESET_PATH}
     * @param auditLog where {@code auth.password.reset_requested} goes
     * @param ids event ids
     * @param random the CSPRNG for tokens
     * @param clock the time source
     */
    public ForgotPassword(UserRepository users, PasswordResetTokens tokens, Mailer mailer, RateLimiter rateLimiter,
            RateLimit ipLimit, RateLimit emailLimit, URI issuer, AuditLog auditLog, IdGenerator ids,
            SecureRandom random, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.ipLimit = Objects.requireNonNull(ipLimit, "ipLimit");
        this.emailLimit = Objects.requireNonNull(emailLimit, "emailLimit");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        String base = Objects.requireNonNull(issuer, "issuer").toString();
        this.resetUrl = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + RESET_PATH;
        this.audit = new LoginAudit(auditLog, ids, clock);
    }

    /**
     * Sends a reset token if, and only if, the address belongs to an account and neither limit is exhausted.
     *
     * @param email the address as typed
     * @throws AccountException 400 ({@code REQUIRED}, {@code INVALID_EMAIL}) for input that is not an address
     * @throws StoreUnavailableException 503 when the lookup fails (the same for every address)
     */
    public void forgot(String email, RequestOrigin origin) {
        if (email == null) {
            throw AccountException.required("email");
        }
        EmailAddress address = EmailAddress.parse(email);
        if (!rateLimiter.consume("forgot:ip:" + origin.sourceIp().orElse("unknown"), ipLimit).allowed()) {
            return;
        }
        if (!rateLimiter.consume("forgot:email:" + bucketHash(address), emailLimit).allowed()) {
            return;
        }
        Optional<User> user = users.findByEmail(address.canonical());
        if (user.isEmpty()) {
            return;
        }
        User found = user.get();
        PasswordResetToken token = PasswordResetToken.generate(random);
        Instant now = clock.instant();
        try {
            tokens.save(new PasswordResetChallenge(token.hash(), found.id(), address.canonical(), now, now.plus(TTL)));
            mailer.send(new MailMessage(found.email().mailbox(), SUBJECT, text(token), MailMessage.PASSWORD_RESET));
            audit.record(LoginAudit.RESET_REQUESTED, user, "", Outcome.SUCCESS, Map.of(), origin);
        } catch (MailException | StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "password reset mail for " + found.id() + " not sent: "
                    + e.getClass().getSimpleName());
        }
    }

    private String text(PasswordResetToken token) {
        return "Someone asked to reset the password of your account.\n\n"
                + "Your password reset token:\n\n    " + token.value() + "\n\n"
                + "Submit it with your new password to " + resetUrl
                + " (POST {\"token\": \"...\", \"password\": \"...\"}) within " + TTL.toMinutes() + " minutes.\n"
                + "It works once and signs you out everywhere. If you did not ask for this, ignore this message:"
                + " your password stays as it is.\n\n"
                + "If a passkey was added to your account that you did not add (each new passkey is mailed to you"
                + " with the time it was added), remove it and every passkey added after it in the same request: add"
                + " \"remove_passkeys_added_since\": \"<that time, e.g. 2026-01-31T09:15:00Z>\" to it. The answer"
                + " says how many passkeys were removed.\n";
    }

    /** First 128 bits of SHA-256 of the canonical address, hex: a bucket name that holds no address. */
    static String bucketHash(EmailAddress address) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(address.canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
