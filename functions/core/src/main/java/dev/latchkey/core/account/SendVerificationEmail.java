package dev.latchkey.core.account;

import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Issues an email verification token and mails it: a fresh {@link VerificationToken}, its hash stored
 * through {@link VerificationTokens} (user id, canonical address, expiry), then one mail to the
 * stored address's {@link EmailAddress#mailbox()} — never to an address taken from the request.
 *
 * <p>Order: the token is stored before the mail goes out, so a mailed token always works; a failed
 * mail leaves an unused token behind that expires on its own. Shared by {@link RegisterUser} and
 * {@link ResendVerification}.
 */
public final class SendVerificationEmail {

    /** How long a verification token works, by default. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** The path the token is posted to, under the issuer. */
    public static final String VERIFY_PATH = "/v1/auth/email/verify";
    static final String SUBJECT = "Verify your email address";

    private final VerificationTokens tokens;
    private final Mailer mailer;
    private final SecureRandom random;
    private final Clock clock;
    private final String verifyUrl;
    private final Duration ttl;

    /**
     * @param tokens where pending verifications are stored
     * @param mailer the mail transport
     * @param random the CSPRNG for tokens
     * @param clock the time source
     * @param issuer the public base URL ({@code LATCHKEY_ISSUER}); the mail names {@code <issuer>}{@value #VERIFY_PATH}
     * @param ttl how long a token works (1 minute to 7 days)
     */
    public SendVerificationEmail(VerificationTokens tokens, Mailer mailer, SecureRandom random, Clock clock, URI issuer,
            Duration ttl) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        String base = Objects.requireNonNull(issuer, "issuer").toString();
        this.verifyUrl = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + VERIFY_PATH;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("verification token lifetime must be 1 minute to 7 days");
        }
    }

    /** The URL the mail points to. */
    public String verifyUrl() {
        return verifyUrl;
    }

    /**
     * Stores a new token for the user's current address and mails it.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the token cannot be stored (nothing sent)
     * @throws dev.latchkey.core.mail.MailException when the mail cannot be handed over (the token stays
     *     stored until it expires, unused)
     */
    public void send(User user) {
        VerificationToken token = VerificationToken.generate(random);
        Instant now = clock.instant();
        tokens.save(new EmailVerificationChallenge(token.hash(), user.id(), user.email().canonical(), now,
                now.plus(ttl)));
        mailer.send(new MailMessage(user.email().mailbox(), SUBJECT, text(token), MailMessage.EMAIL_VERIFICATION));
    }

    private String text(VerificationToken token) {
        long hours = ttl.toHours();
        String lifetime = hours >= 1 ? hours + (hours == 1 ? " hour" : " hours") : ttl.toMinutes() + " minutes";
        return "Please confirm that this is your email address.\n\n"
                + "Your verification token:\n\n    " + token.value() + "\n\n"
                + "Submit it to " + verifyUrl + " (POST {\"token\": \"...\"}) within " + lifetime + ".\n"
                + "It works once. If you did not create an account, ignore this message.\n";
    }
}
