package dev.latchkey.core.config;

import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.login.ThrottlePolicy;
import dev.latchkey.core.passkey.PasskeyPolicy;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.store.RecordCache;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every lifetime, throttle and rate limit of a deployment, read from {@code LATCHKEY_*} variables by
 * {@link LatchkeyConfig#fromEnvironment} (the design's §8; docs/configuration.md "Limits and lifetimes" lists each
 * variable with its default, bounds and the reason for the default). Rate limits are per source address unless
 * named otherwise; the defaults suit a deployment whose callers may sit behind one NAT gateway.
 *
 * @param session access-token lifetime, session idle and absolute lifetime, refresh-token reuse grace
 * @param oauthTokenPerMinute {@code /oauth/token} and {@code /oauth/revoke} requests per source IP and minute
 * @param oauthIntrospectPerMinute {@code /oauth/introspect} requests per source IP and minute
 * @param loginThrottle the per-account password-login throttle
 * @param loginPerIp password-login attempts per source IP
 * @param registerPerIp sign-ups per source IP
 * @param signUpMailsPerAddress sign-up mails per address with silent registration disclosure
 * @param resendPerIp verification-mail resends per source IP
 * @param resendPerAddress verification-mail resends per address
 * @param forgotPerIp forgot-password requests per source IP
 * @param forgotPerAddress forgot-password requests per address
 * @param passkeyOptionsPerIp passkey login options per source IP
 * @param passkeyVerifyPerIp passkey login verifications per source IP
 * @param passkeyChallengeLifetime how long a passkey challenge (and the options' {@code timeout}) lasts
 * @param keyPolicy signing-key rotation
 * @param passwordHashing the Argon2id cost of new password hashes
 * @param tokenCacheTtl how long a container serves the token path's client, resource and grant records from memory
 *     ({@code LATCHKEY_TOKEN_CACHE_SECONDS}, default 10, 0 = off; {@link RecordCache})
 */
public record Limits(
        SessionPolicy session,
        int oauthTokenPerMinute,
        int oauthIntrospectPerMinute,
        ThrottlePolicy loginThrottle,
        RateLimit loginPerIp,
        RateLimit registerPerIp,
        RateLimit signUpMailsPerAddress,
        RateLimit resendPerIp,
        RateLimit resendPerAddress,
        RateLimit forgotPerIp,
        RateLimit forgotPerAddress,
        RateLimit passkeyOptionsPerIp,
        RateLimit passkeyVerifyPerIp,
        Duration passkeyChallengeLifetime,
        KeyPolicy keyPolicy,
        PasswordHashing passwordHashing,
        Duration tokenCacheTtl) {

    /**
     * Default {@code /oauth/token} budget per source IP and minute. The token endpoint's secrets are 256 random bits
     * and assertions single-use, so the limit guards capacity, not a guessable secret; and every service of a
     * cluster behind one NAT gateway shares one address (a rolling deploy of 200 pods asks for 200 tokens at once).
     */
    public static final int DEFAULT_OAUTH_TOKEN_PER_MINUTE = 1_200;
    /** Default introspection budget per source IP and minute: a resource server introspects per request it serves. */
    public static final int DEFAULT_OAUTH_INTROSPECT_PER_MINUTE = 6_000;
    /** The access-token verification leeway the key retention must cover beyond the access-token lifetime. */
    static final Duration LEEWAY = Duration.ofSeconds(30);

    /**
     * Argon2id cost (RFC 9106), never below OWASP's Password Storage Cheat Sheet: {@code (memoryKiB, iterations)}
     * must be at least one of its equivalent options — (47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5).
     *
     * @param memoryKiB {@code m}, KiB
     * @param iterations {@code t}
     * @param parallelism {@code p}
     */
    public record PasswordHashing(int memoryKiB, int iterations, int parallelism) {

        /** OWASP's equivalent minimum options, {@code {m KiB, t}}. */
        static final int[][] OWASP_MINIMUMS = {{47_104, 1}, {19_456, 2}, {12_288, 3}, {9_216, 4}, {7_168, 5}};

        /** OWASP's first option: m = 19 MiB, t = 2, p = 1. */
        public static PasswordHashing owasp() {
            return new PasswordHashing(19_456, 2, 1);
        }

        /** Whether these parameters are at least one of OWASP's minimum options. */
        boolean meetsOwasp() {
            for (int[] minimum : OWASP_MINIMUMS) {
                if (memoryKiB >= minimum[0] && iterations >= minimum[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The defaults of every limit, as documented. */
    public static Limits defaults() {
        return read(new LatchkeyConfig.Reader(Map.of()));
    }

    /** Every limit variable, in the order docs/configuration.md lists them. */
    public static final List<String> VARIABLES = List.of("LATCHKEY_ACCESS_TOKEN_LIFETIME_SECONDS",
            "LATCHKEY_SESSION_IDLE_SECONDS", "LATCHKEY_SESSION_ABSOLUTE_SECONDS",
            "LATCHKEY_REFRESH_REUSE_GRACE_SECONDS",
            "LATCHKEY_OAUTH_TOKEN_PER_MINUTE", "LATCHKEY_OAUTH_INTROSPECT_PER_MINUTE", "LATCHKEY_LOGIN_FREE_FAILURES",
            "LATCHKEY_LOGIN_MAX_DELAY_SECONDS", "LATCHKEY_LOGIN_HARD_STOP_FAILURES",
            "LATCHKEY_LOGIN_PER_IP_PER_15_MINUTES", "LATCHKEY_REGISTER_PER_IP_PER_HOUR",
            "LATCHKEY_SIGNUP_MAILS_PER_ADDRESS_PER_DAY", "LATCHKEY_RESEND_PER_IP_PER_HOUR",
            "LATCHKEY_RESEND_PER_ADDRESS_PER_HOUR", "LATCHKEY_FORGOT_PER_IP_PER_HOUR",
            "LATCHKEY_FORGOT_PER_ADDRESS_PER_HOUR", "LATCHKEY_PASSKEY_OPTIONS_PER_IP_PER_MINUTE",
            "LATCHKEY_PASSKEY_VERIFY_PER_IP_PER_MINUTE", "LATCHKEY_PASSKEY_CHALLENGE_SECONDS",
            "LATCHKEY_KEY_ROTATION_DAYS", "LATCHKEY_KEY_PUBLISH_LEAD_SECONDS", "LATCHKEY_JWKS_MAX_AGE_SECONDS",
            "LATCHKEY_KEY_RETENTION_SECONDS", "LATCHKEY_ARGON2_MEMORY_KIB", "LATCHKEY_ARGON2_ITERATIONS",
            "LATCHKEY_ARGON2_PARALLELISM", "LATCHKEY_TOKEN_CACHE_SECONDS");

    /**
     * Reads every limit variable, reporting bad ones to {@code reader}; a bad value falls back to its default.
     * {@code LATCHKEY_LIMITS} (the SAM template's one {@code Limits} parameter) may carry any of them as
     * comma-separated {@code NAME=value} pairs, {@code NAME} without the {@code LATCHKEY_} prefix; a variable set on
     * its own wins over the same name in it.
     */
    static Limits read(LatchkeyConfig.Reader reader) {
        reader.raw("LATCHKEY_LIMITS").ifPresent(list -> {
            Map<String, String> values = new HashMap<>();
            for (String entry : list.split(",", -1)) {
                int equals = entry.indexOf('=');
                String name = "LATCHKEY_" + (equals < 0 ? entry : entry.substring(0, equals)).trim();
                if (equals < 0 || !VARIABLES.contains(name)) {
                    reader.problem("LATCHKEY_LIMITS: '" + entry.trim() + "' is not NAME=value with NAME one of the"
                            + " limit variables without LATCHKEY_ (e.g. OAUTH_TOKEN_PER_MINUTE=5000)");
                } else {
                    values.put(name, entry.substring(equals + 1).trim());
                }
            }
            reader.underlay(values);
        });
        SessionPolicy defaults = SessionPolicy.defaults();
        int access = reader.integer("LATCHKEY_ACCESS_TOKEN_LIFETIME_SECONDS",
                (int) defaults.accessTokenLifetime().toSeconds(), 60, 86_400);
        int idle = reader.integer("LATCHKEY_SESSION_IDLE_SECONDS", (int) defaults.idleLifetime().toSeconds(),
                300, 365 * 86_400);
        int absolute = reader.integer("LATCHKEY_SESSION_ABSOLUTE_SECONDS",
                (int) defaults.absoluteLifetime().toSeconds(), 300, 365 * 86_400);
        int grace = reader.integer("LATCHKEY_REFRESH_REUSE_GRACE_SECONDS", (int) defaults.reuseGrace().toSeconds(),
                0, (int) SessionPolicy.MAX_REUSE_GRACE.toSeconds());
        SessionPolicy session = defaults;
        if (access > idle || idle > absolute) {
            reader.problem("LATCHKEY_ACCESS_TOKEN_LIFETIME_SECONDS, LATCHKEY_SESSION_IDLE_SECONDS, "
                    + "LATCHKEY_SESSION_ABSOLUTE_SECONDS: need access (" + access + ") <= idle (" + idle
                    + ") <= absolute (" + absolute + ")");
        } else {
            session = new SessionPolicy(Duration.ofSeconds(access), Duration.ofSeconds(idle),
                    Duration.ofSeconds(absolute), Duration.ofSeconds(grace));
        }

        int tokenPerMinute = reader.integer("LATCHKEY_OAUTH_TOKEN_PER_MINUTE", DEFAULT_OAUTH_TOKEN_PER_MINUTE, 10,
                1_000_000);
        int introspectPerMinute = reader.integer("LATCHKEY_OAUTH_INTROSPECT_PER_MINUTE",
                DEFAULT_OAUTH_INTROSPECT_PER_MINUTE, 10, 1_000_000);

        ThrottlePolicy throttle = ThrottlePolicy.defaults();
        int freeFailures = reader.integer("LATCHKEY_LOGIN_FREE_FAILURES", throttle.freeFailures(), 1, 20);
        int maxDelay = reader.integer("LATCHKEY_LOGIN_MAX_DELAY_SECONDS", (int) throttle.maxDelay().toSeconds(), 1,
                (int) throttle.hardStop().toSeconds());
        int hardStop = reader.integer("LATCHKEY_LOGIN_HARD_STOP_FAILURES", throttle.hardStopFailures(), 2, 100);
        if (hardStop <= freeFailures) {
            reader.problem("LATCHKEY_LOGIN_HARD_STOP_FAILURES: " + hardStop
                    + " must exceed LATCHKEY_LOGIN_FREE_FAILURES (" + freeFailures + ")");
        } else {
            throttle = new ThrottlePolicy(freeFailures, throttle.baseDelay(), Duration.ofSeconds(maxDelay), hardStop,
                    throttle.hardStop(), throttle.memory());
        }
        RateLimit loginPerIp = perWindow(reader, "LATCHKEY_LOGIN_PER_IP_PER_15_MINUTES", 100, 15 * 60);
        RateLimit registerPerIp = perWindow(reader, "LATCHKEY_REGISTER_PER_IP_PER_HOUR", 10, 3600);
        RateLimit signUpMails = perWindow(reader, "LATCHKEY_SIGNUP_MAILS_PER_ADDRESS_PER_DAY", 3, 86_400);
        RateLimit resendPerIp = perWindow(reader, "LATCHKEY_RESEND_PER_IP_PER_HOUR", 20, 3600);
        RateLimit resendPerAddress = perWindow(reader, "LATCHKEY_RESEND_PER_ADDRESS_PER_HOUR", 5, 3600);
        RateLimit forgotPerIp = perWindow(reader, "LATCHKEY_FORGOT_PER_IP_PER_HOUR", 20, 3600);
        RateLimit forgotPerAddress = perWindow(reader, "LATCHKEY_FORGOT_PER_ADDRESS_PER_HOUR", 5, 3600);
        RateLimit passkeyOptions = perWindow(reader, "LATCHKEY_PASSKEY_OPTIONS_PER_IP_PER_MINUTE", 60, 60);
        RateLimit passkeyVerify = perWindow(reader, "LATCHKEY_PASSKEY_VERIFY_PER_IP_PER_MINUTE", 30, 60);
        int challenge = reader.integer("LATCHKEY_PASSKEY_CHALLENGE_SECONDS",
                (int) PasskeyPolicy.DEFAULT_CHALLENGE_LIFETIME.toSeconds(), 30, 600);

        KeyPolicy keys = KeyPolicy.defaults();
        int rotationDays = reader.integer("LATCHKEY_KEY_ROTATION_DAYS", (int) keys.rotationInterval().toDays(), 1,
                365);
        int publishLead = reader.integer("LATCHKEY_KEY_PUBLISH_LEAD_SECONDS", (int) keys.publishLead().toSeconds(),
                120, 7 * 86_400);
        int jwksMaxAge = reader.integer("LATCHKEY_JWKS_MAX_AGE_SECONDS", (int) keys.jwksMaxAge().toSeconds(), 60,
                86_400);
        int retention = reader.integer("LATCHKEY_KEY_RETENTION_SECONDS", (int) keys.retention().toSeconds(), 60,
                30 * 86_400);
        boolean keysOk = true;
        if (publishLead < 2 * jwksMaxAge) {
            reader.problem("LATCHKEY_KEY_PUBLISH_LEAD_SECONDS: " + publishLead
                    + " must be at least twice LATCHKEY_JWKS_MAX_AGE_SECONDS (" + jwksMaxAge + ")");
            keysOk = false;
        }
        if ((long) rotationDays * 86_400 < publishLead) {
            reader.problem("LATCHKEY_KEY_ROTATION_DAYS: " + rotationDays
                    + " days is shorter than LATCHKEY_KEY_PUBLISH_LEAD_SECONDS (" + publishLead + ")");
            keysOk = false;
        }
        long needed = session.accessTokenLifetime().plus(LEEWAY).toSeconds();
        if (retention < needed) {
            reader.problem("LATCHKEY_KEY_RETENTION_SECONDS: " + retention + " must cover the access-token lifetime"
                    + " plus 30 s of leeway (" + needed + ")");
            keysOk = false;
        }
        if (keysOk) {
            keys = new KeyPolicy(Duration.ofDays(rotationDays), Duration.ofSeconds(publishLead),
                    Duration.ofSeconds(jwksMaxAge), Duration.ofSeconds(retention));
        }

        PasswordHashing owasp = PasswordHashing.owasp();
        int memory = reader.integer("LATCHKEY_ARGON2_MEMORY_KIB", owasp.memoryKiB(), 7_168, 262_144);
        int iterations = reader.integer("LATCHKEY_ARGON2_ITERATIONS", owasp.iterations(), 1, 10);
        int parallelism = reader.integer("LATCHKEY_ARGON2_PARALLELISM", owasp.parallelism(), 1, 16);
        PasswordHashing hashing = new PasswordHashing(memory, iterations, parallelism);
        if (!hashing.meetsOwasp()) {
            reader.problem("LATCHKEY_ARGON2_MEMORY_KIB, LATCHKEY_ARGON2_ITERATIONS: m=" + memory + " KiB, t="
                    + iterations + " is below OWASP's minimum (m >= 47104 with t=1, 19456 with t=2, 12288 with t=3,"
                    + " 9216 with t=4, 7168 with t>=5)");
            hashing = owasp;
        }
        int tokenCache = reader.integer("LATCHKEY_TOKEN_CACHE_SECONDS", 10, 0, (int) RecordCache.MAX_TTL.toSeconds());
        return new Limits(session, tokenPerMinute, introspectPerMinute, throttle, loginPerIp, registerPerIp,
                signUpMails, resendPerIp, resendPerAddress, forgotPerIp, forgotPerAddress, passkeyOptions,
                passkeyVerify, Duration.ofSeconds(challenge), keys, hashing, Duration.ofSeconds(tokenCache));
    }

    private static RateLimit perWindow(LatchkeyConfig.Reader reader, String name, int fallback, long seconds) {
        return RateLimit.perSeconds(reader.integer(name, fallback, 1, 1_000_000), seconds);
    }
}
