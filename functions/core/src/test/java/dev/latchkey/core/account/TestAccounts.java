package dev.latchkey.core.account;

import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.mail.RecordingMailer;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.core.testing.MutableClock;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account use cases wired to in-memory fakes, with a hand-moved clock. One per test: every field
 * is the test's to inspect.
 */
final class TestAccounts {

    static final Instant T0 = Instant.parse("2026-03-12T10:15:30Z");
    static final String STRONG_PASSWORD = "correct horse battery staple 42";
    static final URI ISSUER = URI.create("https://id.example.com");
    static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-1");

    private static final Pattern TOKEN = Pattern.compile("lkv_[A-Za-z0-9_-]{43}");

    final MutableClock clock = new MutableClock(T0);
    final SecureRandom random = new SecureRandom();
    final SortableIdGenerator ids = new SortableIdGenerator(clock, random);
    final InMemoryAuditLog auditLog = new InMemoryAuditLog(clock);
    final InMemoryUserRepository users = new InMemoryUserRepository(auditLog);
    final InMemoryVerificationTokens tokens = new InMemoryVerificationTokens();
    final RecordingMailer mailer = new RecordingMailer();
    final RecordingRateLimiter rateLimiter = new RecordingRateLimiter(new InMemoryRateLimiter(clock));
    final FakePasswordStrength strength = new FakePasswordStrength("password", "qwerty");
    final FakePasswordHasher hasher = new FakePasswordHasher();
    final SendVerificationEmail verification = new SendVerificationEmail(tokens, mailer, random, clock, ISSUER,
            SendVerificationEmail.DEFAULT_TTL);
    final RegisterUser register = new RegisterUser(users, new PasswordPolicy(strength), hasher, verification,
            rateLimiter, RegisterUser.DEFAULT_IP_LIMIT, ids, clock, new SignUpAttemptNotice(mailer, ISSUER),
            RegisterUser.DEFAULT_NOTICE_LIMIT);
    final VerifyEmail verify = new VerifyEmail(tokens, users, auditLog, ids, clock);
    final ResendVerification resend = new ResendVerification(users, verification, rateLimiter,
            ResendVerification.DEFAULT_IP_LIMIT, ResendVerification.DEFAULT_EMAIL_LIMIT);

    static RegisterUserCommand command(String email) {
        return RegisterUserCommand.of(email, STRONG_PASSWORD, "Ada Lovelace");
    }

    RegisteredAccount registered(String email) {
        return register.register(command(email), ORIGIN);
    }

    /** The token in the last verification mail. */
    String lastToken() {
        String text = mailer.sent().get(mailer.sent().size() - 1).text();
        Matcher matcher = TOKEN.matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("no token in the last mail");
        }
        return matcher.group();
    }

    /** Records every bucket key it is asked about. */
    static final class RecordingRateLimiter implements RateLimiter {
        private final RateLimiter delegate;
        final List<String> buckets = new CopyOnWriteArrayList<>();

        RecordingRateLimiter(RateLimiter delegate) {
            this.delegate = delegate;
        }

        @Override
        public RateLimitDecision consume(String bucket, RateLimit limit) {
            buckets.add(bucket);
            return delegate.consume(bucket, limit);
        }
    }
}
