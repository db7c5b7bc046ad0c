package dev.latchkey.core.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.config.ConfigException;
import dev.latchkey.core.config.LatchkeyConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasskeyPolicyTest {

    private static LatchkeyConfig config(Map<String, String> environment) {
        return LatchkeyConfig.fromEnvironment(environment, "test");
    }

    @Test
    void fromWhenOnlyIssuerSetThenRpIdIsItsHostAndOriginItsOrigin() {
        PasskeyPolicy policy = config(Map.of("LATCHKEY_ISSUER", "https://ID.example.com")).passkeyPolicy();

        assertThat(policy.rpId()).isEqualTo("id.example.com");
        assertThat(policy.rpName()).isEqualTo("Latchkey");
        assertThat(policy.allowedOrigins()).containsExactly("https://id.example.com");
        assertThat(policy.userVerificationRequired()).isTrue();
        assertThat(policy.challengeLifetime()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void fromWhenIssuerHasPortAndPathThenOriginKeepsThePortOnly() {
        PasskeyPolicy policy = config(Map.of("LATCHKEY_ISSUER", "http://localhost:3000/auth")).passkeyPolicy();

        assertThat(policy.rpId()).isEqualTo("localhost");
        assertThat(policy.allowedOrigins()).containsExactly("http://localhost:3000");
    }

    @Test
    void fromWhenIssuerChangesLaterThenDefaultsFollowIt() {
        LatchkeyConfig config = config(Map.of()).withIssuer(URI.create("http://localhost:4111"));

        assertThat(config.passkeyPolicy().allowedOrigins()).containsExactly("http://localhost:4111");
    }

    @Test
    void fromWhenAllSetThenUsedAsGiven() {
        PasskeyPolicy policy = config(Map.of(
                "LATCHKEY_ISSUER", "https://auth.example.com",
                "LATCHKEY_WEBAUTHN_RP_ID", "example.com",
                "LATCHKEY_WEBAUTHN_RP_NAME", "Example Inc.",
                "LATCHKEY_WEBAUTHN_ORIGINS", "https://example.com, https://app.example.com:8443,"
                        + "android:apk-key-hash:Hq6d7wL1eJ3Vx9bTnYkS0mA2cF8gR4uP5iW6oZ7yX1E",
                "LATCHKEY_WEBAUTHN_USER_VERIFICATION", "preferred")).passkeyPolicy();

        assertThat(policy.rpId()).isEqualTo("example.com");
        assertThat(policy.rpName()).isEqualTo("Example Inc.");
        assertThat(policy.allowedOrigins()).containsExactly("https://example.com", "https://app.example.com:8443",
                "android:apk-key-hash:Hq6d7wL1eJ3Vx9bTnYkS0mA2cF8gR4uP5iW6oZ7yX1E");
        assertThat(policy.userVerificationRequired()).isFalse();
        assertThat(policy.userVerification()).isEqualTo("preferred");
    }

    @Test
    void fromWhenNoIssuerAndNoExplicitValuesThenConfigExceptionNamesTheVariable() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config(Map.of()).passkeyPolicy());

        assertThat(e.problems()).singleElement().asString().startsWith("LATCHKEY_WEBAUTHN_RP_ID:")
                .contains("LATCHKEY_ISSUER");
    }

    @Test
    void fromWhenIssuerIsAnIpAddressThenConfigExceptionAsksForAnRpId() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> config(Map.of("LATCHKEY_ISSUER", "http://127.0.0.1:3000")).passkeyPolicy());

        assertThat(e.problems()).singleElement().asString().startsWith("LATCHKEY_WEBAUTHN_RP_ID:")
                .contains("IP address");
    }

    @Test
    void fromWhenExplicitOriginOutsideTheIssuersHostThenConfigException() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config(Map.of(
                "LATCHKEY_ISSUER", "https://id.example.com",
                "LATCHKEY_WEBAUTHN_ORIGINS", "https://example.com")).passkeyPolicy());

        assertThat(e.problems()).singleElement().asString().startsWith("LATCHKEY_WEBAUTHN_ORIGINS:");
    }

    @ParameterizedTest
    @CsvSource({
        "https://id.example.com, https://id.example.com",
        "HTTPS://ID.Example.com, https://id.example.com",
        "https://id.example.com:443, https://id.example.com",
        "http://localhost:80, http://localhost",
        "http://localhost:3000, http://localhost:3000",
        "android:apk-key-hash:Hq6d7wL1eJ3Vx9bTnYkS0mA2cF8gR4uP5iW6oZ7yX1E, "
            + "android:apk-key-hash:Hq6d7wL1eJ3Vx9bTnYkS0mA2cF8gR4uP5iW6oZ7yX1E"})
    void normalizeOriginWhenValidThenCanonical(String input, String expected) {
        assertThat(PasskeyPolicy.normalizeOrigin(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "id.example.com", "https://id.example.com/", "https://id.example.com/path",
        "https://id.example.com?q=1", "https://user@id.example.com", "ftp://id.example.com", "android:other:x",
        "android:apk-key-hash:short", "https://"})
    void normalizeOriginWhenNoOriginThenRefusedWithAReason(String input) {
        assertThatThrownBy(() -> PasskeyPolicy.normalizeOrigin(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("is not");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id.example.com", "localhost", "example.com", "a-b.example.co.uk"})
    void rpIdProblemWhenDomainThenNone(String rpId) {
        assertThat(PasskeyPolicy.rpIdProblem(rpId)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ID.example.com", "https://id.example.com", "id.example.com:443", "127.0.0.1",
        "::1", "[::1]", "id..example.com", "-id.example.com", "id.example.com/"})
    void rpIdProblemWhenNoDomainThenExplained(String rpId) {
        assertThat(PasskeyPolicy.rpIdProblem(rpId)).isPresent();
    }

    @Test
    void scopeProblemWhenOriginIsTheRpIdOrASubdomainThenNone() {
        assertThat(PasskeyPolicy.scopeProblem("example.com", "https://example.com")).isEmpty();
        assertThat(PasskeyPolicy.scopeProblem("example.com", "https://id.example.com:8443")).isEmpty();
        assertThat(PasskeyPolicy.scopeProblem("example.com", "https://badexample.com")).isPresent();
        assertThat(PasskeyPolicy.scopeProblem("id.example.com", "https://example.com")).isPresent();
        assertThat(PasskeyPolicy.scopeProblem("example.com", "android:apk-key-hash:Hq6d7wL1eJ3Vx9bTnYkS0mA2c"))
                .isEmpty();
    }

    @Test
    void constructorWhenRulesBrokenThenRefused() {
        assertThatThrownBy(() -> PasskeyPolicy.of("example.com", "Latchkey", List.of()))
                .hasMessageContaining("allowedOrigins");
        assertThatThrownBy(() -> PasskeyPolicy.of("example.com", "Latchkey", List.of("https://Example.com")))
                .hasMessageContaining("normalized");
        assertThatThrownBy(() -> PasskeyPolicy.of("example.com", "Latchkey", List.of("https://evil.test")))
                .hasMessageContaining("allowedOrigins");
        assertThatThrownBy(() -> PasskeyPolicy.of("example.com", " ", List.of("https://example.com")))
                .hasMessageContaining("rpName");
        assertThatThrownBy(() -> PasskeyPolicy.of("example.com", "Latchkey", List.of("https://example.com"))
                .withChallengeLifetime(Duration.ofSeconds(10))).hasMessageContaining("challengeLifetime");
        assertThatThrownBy(() -> PasskeyPolicy.of("example.com", "Latchkey", List.of("https://example.com"))
                .withChallengeLifetime(Duration.ofMinutes(11))).hasMessageContaining("challengeLifetime");
    }

    @Test
    /** http origins only for localhost (browsers refuse WebAuthn elsewhere); single-label RP ids refused. */
    void originWhenHttpOutsideLocalhostOrRpIdSingleLabelThenRefused() {
        assertThat(PasskeyPolicy.normalizeOrigin("http://localhost:3000"))
                .isEqualTo("http://localhost:3000");
        assertThat(PasskeyPolicy.normalizeOrigin("http://app.localhost"))
                .isEqualTo("http://app.localhost");
        for (String origin : new String[] {"http://example.com", "http://id.example.com:8080"}) {
            assertThatThrownBy(() -> PasskeyPolicy.normalizeOrigin(origin))
                    .as(origin).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(PasskeyPolicy.rpIdProblem("com")).isPresent();
        assertThat(PasskeyPolicy.rpIdProblem("localhost")).isEmpty();
        assertThat(PasskeyPolicy.rpIdProblem("example.com")).isEmpty();
    }
}
