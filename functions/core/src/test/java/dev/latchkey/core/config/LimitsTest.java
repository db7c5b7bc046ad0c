package dev.latchkey.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.login.ThrottlePolicy;
import dev.latchkey.core.passkey.PasskeyPolicy;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.session.SessionPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every limit and lifetime variable (docs/configuration.md "Limits and lifetimes"). */
class LimitsTest {

    private static Limits limits(Map<String, String> environment) {
        return LatchkeyConfig.fromEnvironment(environment, "test").limits();
    }

    private static String problems(Map<String, String> environment) {
        try {
            LatchkeyConfig.fromEnvironment(environment, "test");
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no ConfigException");
    }

    @Test
    void fromEnvironmentWhenUnsetThenTheDocumentedDefaults() {
        Limits limits = limits(Map.of());
        assertThat(limits.session()).isEqualTo(SessionPolicy.defaults());
        assertThat(limits.keyPolicy()).isEqualTo(KeyPolicy.defaults());
        assertThat(limits.loginThrottle()).isEqualTo(ThrottlePolicy.defaults());
        assertThat(limits.oauthTokenPerMinute()).isEqualTo(1_200);
        assertThat(limits.oauthIntrospectPerMinute()).isEqualTo(6_000);
        assertThat(limits.loginPerIp()).isEqualTo(RateLimit.perSeconds(100, 900));
        assertThat(limits.registerPerIp()).isEqualTo(RateLimit.perSeconds(10, 3600));
        assertThat(limits.signUpMailsPerAddress()).isEqualTo(RateLimit.perSeconds(3, 86_400));
        assertThat(limits.resendPerIp()).isEqualTo(RateLimit.perSeconds(20, 3600));
        assertThat(limits.resendPerAddress()).isEqualTo(RateLimit.perSeconds(5, 3600));
        assertThat(limits.forgotPerIp()).isEqualTo(RateLimit.perSeconds(20, 3600));
        assertThat(limits.forgotPerAddress()).isEqualTo(RateLimit.perSeconds(5, 3600));
        assertThat(limits.passkeyOptionsPerIp()).isEqualTo(RateLimit.perSeconds(60, 60));
        assertThat(limits.passkeyVerifyPerIp()).isEqualTo(RateLimit.perSeconds(30, 60));
        assertThat(limits.passkeyChallengeLifetime()).isEqualTo(PasskeyPolicy.DEFAULT_CHALLENGE_LIFETIME);
        assertThat(limits.passwordHashing()).isEqualTo(Limits.PasswordHashing.owasp());
        assertThat(limits.tokenCacheTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(Limits.defaults()).isEqualTo(limits);
    }

    @Test
    void fromEnvironmentWhenEverySetThenEveryApplied() {
        Map<String, String> environment = Map.ofEntries(
                Map.entry("LATCHKEY_ACCESS_TOKEN_LIFETIME_SECONDS", "300"),
                Map.entry("LATCHKEY_SESSION_IDLE_SECONDS", "3600"),
                Map.entry("LATCHKEY_SESSION_ABSOLUTE_SECONDS", "86400"),
                Map.entry("LATCHKEY_REFRESH_REUSE_GRACE_SECONDS", "0"),
                Map.entry("LATCHKEY_OAUTH_TOKEN_PER_MINUTE", "50000"),
                Map.entry("LATCHKEY_OAUTH_INTROSPECT_PER_MINUTE", "90000"),
                Map.entry("LATCHKEY_LOGIN_FREE_FAILURES", "3"),
                Map.entry("LATCHKEY_LOGIN_MAX_DELAY_SECONDS", "600"),
                Map.entry("LATCHKEY_LOGIN_HARD_STOP_FAILURES", "50"),
                Map.entry("LATCHKEY_LOGIN_PER_IP_PER_15_MINUTES", "1000"),
                Map.entry("LATCHKEY_REGISTER_PER_IP_PER_HOUR", "100"),
                Map.entry("LATCHKEY_SIGNUP_MAILS_PER_ADDRESS_PER_DAY", "2"),
                Map.entry("LATCHKEY_RESEND_PER_IP_PER_HOUR", "200"),
                Map.entry("LATCHKEY_RESEND_PER_ADDRESS_PER_HOUR", "4"),
                Map.entry("LATCHKEY_FORGOT_PER_IP_PER_HOUR", "201"),
                Map.entry("LATCHKEY_FORGOT_PER_ADDRESS_PER_HOUR", "3"),
                Map.entry("LATCHKEY_PASSKEY_OPTIONS_PER_IP_PER_MINUTE", "600"),
                Map.entry("LATCHKEY_PASSKEY_VERIFY_PER_IP_PER_MINUTE", "300"),
                Map.entry("LATCHKEY_PASSKEY_CHALLENGE_SECONDS", "120"),
                Map.entry("LATCHKEY_KEY_ROTATION_DAYS", "7"),
                Map.entry("LATCHKEY_KEY_PUBLISH_LEAD_SECONDS", "7200"),
                Map.entry("LATCHKEY_JWKS_MAX_AGE_SECONDS", "900"),
                Map.entry("LATCHKEY_KEY_RETENTION_SECONDS", "1800"),
                Map.entry("LATCHKEY_ARGON2_MEMORY_KIB", "47104"),
                Map.entry("LATCHKEY_ARGON2_ITERATIONS", "1"),
                Map.entry("LATCHKEY_ARGON2_PARALLELISM", "2"),
                Map.entry("LATCHKEY_TOKEN_CACHE_SECONDS", "30"));
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(environment, "test");
        Limits limits = config.limits();
        assertThat(limits.session()).isEqualTo(new SessionPolicy(Duration.ofMinutes(5), Duration.ofHours(1),
                Duration.ofDays(1), Duration.ZERO));
        assertThat(limits.oauthTokenPerMinute()).isEqualTo(50_000);
        assertThat(limits.oauthIntrospectPerMinute()).isEqualTo(90_000);
        assertThat(limits.loginThrottle().freeFailures()).isEqualTo(3);
        assertThat(limits.loginThrottle().maxDelay()).isEqualTo(Duration.ofMinutes(10));
        assertThat(limits.loginThrottle().hardStopFailures()).isEqualTo(50);
        assertThat(limits.loginPerIp()).isEqualTo(RateLimit.perSeconds(1000, 900));
        assertThat(limits.registerPerIp()).isEqualTo(RateLimit.perSeconds(100, 3600));
        assertThat(limits.signUpMailsPerAddress()).isEqualTo(RateLimit.perSeconds(2, 86_400));
        assertThat(limits.resendPerIp()).isEqualTo(RateLimit.perSeconds(200, 3600));
        assertThat(limits.resendPerAddress()).isEqualTo(RateLimit.perSeconds(4, 3600));
        assertThat(limits.forgotPerIp()).isEqualTo(RateLimit.perSeconds(201, 3600));
        assertThat(limits.forgotPerAddress()).isEqualTo(RateLimit.perSeconds(3, 3600));
        assertThat(limits.passkeyOptionsPerIp()).isEqualTo(RateLimit.perSeconds(600, 60));
        assertThat(limits.passkeyVerifyPerIp()).isEqualTo(RateLimit.perSeconds(300, 60));
        assertThat(limits.passkeyChallengeLifetime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(limits.keyPolicy()).isEqualTo(new KeyPolicy(Duration.ofDays(7), Duration.ofHours(2),
                Duration.ofMinutes(15), Duration.ofMinutes(30)));
        assertThat(limits.passwordHashing()).isEqualTo(new Limits.PasswordHashing(47_104, 1, 2));
        assertThat(limits.tokenCacheTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.withIssuer(java.net.URI.create("https://id.example.com")).passkeyPolicy()
                .challengeLifetime()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void fromEnvironmentWhenSeveralLimitsBadThenOneLineEach() {
        String message = problems(Map.of(
                "LATCHKEY_ACCESS_TOKEN_LIFETIME_SECONDS", "10",
                "LATCHKEY_OAUTH_TOKEN_PER_MINUTE", "lots",
                "LATCHKEY_REFRESH_REUSE_GRACE_SECONDS", "61",
                "LATCHKEY_PASSKEY_CHALLENGE_SECONDS", "0"));
        assertThat(message).contains("LATCHKEY_ACCESS_TOKEN_LIFETIME_SECONDS: 10 is outside 60..86400")
                .contains("LATCHKEY_OAUTH_TOKEN_PER_MINUTE: 'lots' is not a whole number in 10..1000000")
                .contains("LATCHKEY_REFRESH_REUSE_GRACE_SECONDS: 61 is outside 0..60")
                .contains("LATCHKEY_PASSKEY_CHALLENGE_SECONDS: 0 is outside 30..600");
        assertThat(message.lines().filter(line -> line.startsWith("  - "))).hasSize(4);
    }

    @Test
    void fromEnvironmentWhenLifetimesOutOfOrderThenRefused() {
        assertThat(problems(Map.of("LATCHKEY_SESSION_IDLE_SECONDS", "600", "LATCHKEY_ACCESS_TOKEN_LIFETIME_SECONDS",
                "900"))).contains("need access (900) <= idle (600) <= absolute (2592000)");
        assertThat(problems(Map.of("LATCHKEY_SESSION_ABSOLUTE_SECONDS", "86400")))
                .contains("need access (900) <= idle (1209600) <= absolute (86400)");
    }

    @Test
    void fromEnvironmentWhenArgon2BelowOwaspThenRefused() {
        assertThat(problems(Map.of("LATCHKEY_ARGON2_MEMORY_KIB", "19455")))
                .contains("m=19455 KiB, t=2 is below OWASP's minimum");
        assertThat(problems(Map.of("LATCHKEY_ARGON2_ITERATIONS", "1")))
                .contains("m=19456 KiB, t=1 is below OWASP's minimum");
        assertThat(problems(Map.of("LATCHKEY_ARGON2_MEMORY_KIB", "4096"))).contains("4096 is outside 7168..262144");
        assertThat(limits(Map.of("LATCHKEY_ARGON2_MEMORY_KIB", "7168", "LATCHKEY_ARGON2_ITERATIONS", "5"))
                .passwordHashing()).isEqualTo(new Limits.PasswordHashing(7_168, 5, 1));
    }

    @Test
    void fromEnvironmentWhenKeyPolicyInconsistentThenEachInvariantNamed() {
        assertThat(problems(Map.of("LATCHKEY_JWKS_MAX_AGE_SECONDS", "3600")))
                .contains("LATCHKEY_KEY_PUBLISH_LEAD_SECONDS: 3600 must be at least twice "
                        + "LATCHKEY_JWKS_MAX_AGE_SECONDS");
        assertThat(problems(Map.of("LATCHKEY_KEY_RETENTION_SECONDS", "600")))
                .contains("LATCHKEY_KEY_RETENTION_SECONDS: 600 must cover the access-token lifetime plus 30 s");
        assertThat(problems(Map.of("LATCHKEY_LOGIN_FREE_FAILURES", "10", "LATCHKEY_LOGIN_HARD_STOP_FAILURES", "10")))
                .contains("LATCHKEY_LOGIN_HARD_STOP_FAILURES: 10 must exceed LATCHKEY_LOGIN_FREE_FAILURES (10)");
    }

    @Test
    void fromEnvironmentWhenLimitsListThenEachEntryAppliedAndOwnVariableWins() {
        Limits limits = limits(Map.of("LATCHKEY_LIMITS", "OAUTH_TOKEN_PER_MINUTE=5000, ARGON2_ITERATIONS=3,"
                + "ACCESS_TOKEN_LIFETIME_SECONDS=600", "LATCHKEY_ACCESS_TOKEN_LIFETIME_SECONDS", "300"));
        assertThat(limits.oauthTokenPerMinute()).isEqualTo(5_000);
        assertThat(limits.passwordHashing().iterations()).isEqualTo(3);
        assertThat(limits.session().accessTokenLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(problems(Map.of("LATCHKEY_LIMITS", "TABLE_NAME=x,OAUTH_TOKEN_PER_MINUTE=5")))
                .contains("LATCHKEY_LIMITS: 'TABLE_NAME=x' is not NAME=value")
                .contains("LATCHKEY_OAUTH_TOKEN_PER_MINUTE: 5 is outside 10..1000000");
    }

    @Test
    void variablesListsEveryLimitDocumented() throws java.io.IOException {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("../../docs/configuration.md"));
        assertThat(Limits.VARIABLES).hasSize(27).allSatisfy(name -> assertThat(docs).contains("`" + name + "`"));
    }
}
