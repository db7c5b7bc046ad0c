package dev.latchkey.core.account;

import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimiter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends another verification mail (API.md "register": {@code POST /v1/auth/email/verify/resend}).
 *
 * <p><b>No account enumeration.</b> The caller answers 202 the same way whatever happened here:
 * unknown address, already verified, unverified (mail sent), rate-limited (nothing sent), or mail
 * failure (logged). This use case therefore returns nothing and throws only for a store failure
 * before any account-dependent step, which looks the same for every address.
 *
 * <p><b>Rate limits</b>, both counted before the lookup: per source IP ({@code resend:ip:<ip>}, default
 * {@link #DEFAULT_IP_LIMIT}) and per address ({@code resend:email:<first 128 bits of SHA-256 of the
 * canonical address, hex>}, default {@link #DEFAULT_EMAIL_LIMIT}), so the bucket key holds no address.
 * The per-address limit protects a victim's mailbox from a distributed flood.
 */
public final class ResendVerification {

    /** Resend requests per source IP and hour. */
    public static final RateLimit DEFAULT_IP_LIMIT = RateLimit.perSeconds(20, 3600);
    /** Resend requests per address and hour. */
    public static final RateLimit DEFAULT_EMAIL_LIMIT = RateLimit.perSeconds(5, 3600);

    private final UserRepository users;
    private final SendVerificationEmail verification;
    private final RateLimiter rateLimiter;
    private final RateLimit ipLimit;
    private final RateLimit emailLimit;

    /**
     * @param users the accounts
     * @param verification issues and mails the token
     * @param rateLimiter counts requests
     * @param ipLimit the per-IP limit
     * @param emailLimit the per-address limit
     */
    public ResendVerification(UserRepository users, SendVerificationEmail verification, RateLimiter rateLimiter,
            RateLimit ipLimit, RateLimit emailLimit) {
        this.users = Objects.requireNonNull(users, "users");
        this.verification = Objects.requireNonNull(verification, "verification");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.ipLimit = Objects.requireNonNull(ipLimit, "ipLimit");
        this.emailLimit = Objects.requireNonNull(emailLimit, "emailLimit");
    }

    /**
     * Sends a new token if, and only if, the address belongs to an account that is not verified yet and
     * neither limit is exhausted.
     *
     * @param email the address as typed
     * @throws AccountException {@code VALIDATION_ERROR} ({@code REQUIRED}, {@code INVALID_EMAIL}) for input
     *     that is not an address at all — a property of the input, not of any account
     * @throws dev.latchkey.core.store.StoreUnavailableException 503 when the store cannot answer
     */
    public void resend(String email, RequestOrigin origin) {
        if (email == null) {
            throw AccountException.required("email");
        }
        EmailAddress address = EmailAddress.parse(email);
        if (!rateLimiter.consume("resend:ip:" + origin.ipBucket(), ipLimit).allowed()) {
            return;
        }
        if (!rateLimiter.consume("resend:email:" + bucketHash(address), emailLimit).allowed()) {
            return;
        }
        Optional<User> user = users.findByEmail(address.canonical());
        if (user.isPresent() && !user.get().emailVerified()) {
            RegisterUser.sendVerification(verification, user.get());
        }
    }

    /** First 128 bits of SHA-256 of the canonical address, lower-case hex: a bucket name that holds no address. */
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
