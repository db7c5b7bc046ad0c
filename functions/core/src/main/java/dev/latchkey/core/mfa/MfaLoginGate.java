package dev.latchkey.core.mfa;

import dev.latchkey.core.account.User;
import dev.latchkey.core.login.LoginResult;
import dev.latchkey.core.login.SecondFactorGate;
import dev.latchkey.core.principal.RequestOrigin;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The second login step's gate: a user with an active TOTP factor gets, instead of tokens, a {@code mfa_token}
 * ({@value #PREFIX} + 256 random bits, base64url) stored only as its SHA-256 with the user, the first step's
 * {@code amr} and an expiry of {@value #LIFETIME_SECONDS} s; {@link MfaLogin} spends it once.
 */
public final class MfaLoginGate implements SecondFactorGate {

    /** The token prefix (recognisable in leaked-secret scanners). */
    public static final String PREFIX = "lkm_";

    /** The token's lifetime. */
    public static final long LIFETIME_SECONDS = 300;

    /** The methods a TOTP user can use at the second step. */
    public static final List<String> METHODS = List.of("totp", "recovery_code");

    private final MfaRepository factors;
    private final MfaLoginTokens tokens;
    private final SecureRandom random;
    private final Clock clock;

    /**
     * @param factors whether the user has a factor
     * @param tokens where pending steps go
     * @param random the tokens
     * @param clock the time source
     */
    public MfaLoginGate(MfaRepository factors, MfaLoginTokens tokens, SecureRandom random, Clock clock) {
        this.factors = Objects.requireNonNull(factors, "factors");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<LoginResult.MfaRequired> challenge(User user, List<String> firstFactorAmr, RequestOrigin origin) {
        if (factors.findTotp(user.id()).isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        tokens.save(new MfaLoginChallenge(hash(token), user.id(), user.email().canonical(), firstFactorAmr, now,
                now.plus(Duration.ofSeconds(LIFETIME_SECONDS))));
        return Optional.of(new LoginResult.MfaRequired(token, METHODS, LIFETIME_SECONDS));
    }

    /** The stored form of a token: SHA-256, hex. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
