package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.token.InvalidTokenException.Reason;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AccessTokenVerifier#forAnyAudience} (introspection): every token our issuer signed is accepted whatever
 * its {@code aud}, but every other check of {@link AccessTokenVerifier} still holds.
 */
class AccessTokenVerifierAnyAudienceTest {

    private static OpenedSigningKey key;
    private static OpenedSigningKey stranger;
    private static AccessTokenIssuer issuer;
    private static AccessTokenVerifier verifier;

    @BeforeAll
    static void keys() {
        key = TestKeys.opened();
        stranger = TestKeys.opened();
        issuer = new AccessTokenIssuer(key, TestKeys.clockAt(TestKeys.NOW), new SecureRandom());
        verifier = AccessTokenVerifier.forAnyAudience(TestKeys.resolverOf(key), TestKeys.ISSUER,
                TestKeys.clockAt(TestKeys.NOW));
    }

    private static String token(Consumer<Map<String, Object>> header, Consumer<Map<String, Object>> payload) {
        Map<String, Object> h = Jws.header(key.kid());
        Map<String, Object> p = Jws.payload();
        header.accept(h);
        payload.accept(p);
        return Jws.sign(h, p, key.privateKey());
    }

    private static Reason rejection(String token) {
        InvalidTokenException e = catchThrowableOfType(InvalidTokenException.class, () -> verifier.verify(token));
        assertThat(e).as("token must be rejected").isNotNull();
        return e.reason();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.example.com", "https://id.latchkey.test", "urn:anything"})
    @DisplayName("a token of our issuer verifies whatever its single audience")
    void verifyWhenAnySingleAudienceThenAccepted(String audience) {
        String token = issuer.issue(TestKeys.claims().audience(audience).scope("read").org("org_1").build());

        AccessTokenClaims claims = verifier.verify(token).claims();

        assertThat(claims.audience()).containsExactly(audience);
        assertThat(claims.scope()).containsExactly("read");
    }

    @Test
    void verifyWhenSeveralAudiencesThenAccepted() {
        String token = issuer.issue(TestKeys.claims().audience("https://a.example", "https://b.example").build());

        assertThat(verifier.verify(token).claims().audience()).containsExactly("https://a.example",
                "https://b.example");
    }

    @Test
    void verifyWhenAudienceMissingOrMalformedThenRejected() {
        assertThat(rejection(token(h -> { }, p -> p.remove("aud")))).isEqualTo(Reason.MISSING_CLAIM);
        assertThat(rejection(token(h -> { }, p -> p.put("aud", List.of())))).isEqualTo(Reason.INVALID_CLAIM);
        assertThat(rejection(token(h -> { }, p -> p.put("aud", 42)))).isEqualTo(Reason.INVALID_CLAIM);
    }

    @Test
    void verifyWhenSignedByAnotherKeyWithOurKidThenBadSignature() {
        String forged = Jws.sign(Jws.header(key.kid()), Jws.payload(), stranger.privateKey());

        assertThat(rejection(forged)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void verifyWhenSignatureTamperedThenBadSignature() {
        String token = issuer.issue(TestKeys.claims().build());
        String[] parts = token.split("\\.", -1);
        String tampered = parts[0] + "." + Jws.segment(Map.of("iss", TestKeys.ISSUER, "sub", "usr_x", "aud",
                "https://evil.example", "exp", TestKeys.NOW.getEpochSecond() + 900, "iat",
                TestKeys.NOW.getEpochSecond(), "jti", "j")) + "." + parts[2];

        assertThat(rejection(tampered)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void verifyWhenUnknownKidThenUnknownKey() {
        String token = Jws.sign(Jws.header(stranger.kid()), Jws.payload(), stranger.privateKey());

        assertThat(rejection(token)).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "HS256", "RS256", "ES384", "EdDSA"})
    void verifyWhenAlgorithmOtherThanEs256ThenRejected(String alg) {
        assertThat(rejection(token(h -> h.put("alg", alg), p -> { }))).isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id_token+jwt", "dpop+jwt", "logout+jwt", "client-authentication+jwt"})
    void verifyWhenTypeIsNotAccessTokenThenRejected(String typ) {
        assertThat(rejection(token(h -> h.put("typ", typ), p -> { }))).isEqualTo(Reason.WRONG_TYPE);
        assertThat(rejection(token(h -> h.remove("typ"), p -> { }))).isEqualTo(Reason.WRONG_TYPE);
    }

    @Test
    void verifyWhenExpiredBeyondLeewayThenExpired() {
        AccessTokenVerifier later = AccessTokenVerifier.forAnyAudience(TestKeys.resolverOf(key), TestKeys.ISSUER,
                TestKeys.clockAt(TestKeys.NOW.plusSeconds(900 + 31)));
        String token = issuer.issue(TestKeys.claims().audience("https://api.example.com").build());

        InvalidTokenException e = catchThrowableOfType(InvalidTokenException.class, () -> later.verify(token));

        assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void verifyWhenForeignIssuerThenWrongIssuer() {
        String token = issuer.issue(TestKeys.claims().issuer("https://evil.example").build());

        assertThat(rejection(token)).isEqualTo(Reason.WRONG_ISSUER);
    }

    @Test
    void verifyWhenEmbeddedKeyThenRejected() {
        assertThat(rejection(token(h -> h.put("jku", "https://evil.example/jwks"), p -> { })))
                .isEqualTo(Reason.EMBEDDED_KEY);
    }

    @Test
    void forAnyAudienceWhenBlankIssuerThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                AccessTokenVerifier.forAnyAudience(TestKeys.resolverOf(key), " ", TestKeys.clockAt(TestKeys.NOW)));
    }

    @Test
    @DisplayName("built on first use: the issuer is read then (not at construction), once, and the verifier kept")
    void forAnyAudienceOnFirstUseWhenAskedTwiceThenIssuerReadOnceAndVerifierKept() {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<AccessTokenVerifier> lazy = AccessTokenVerifier.forAnyAudienceOnFirstUse(
                TestKeys.resolverOf(key), () -> {
                    reads.incrementAndGet();
                    return TestKeys.ISSUER;
                }, TestKeys.clockAt(TestKeys.NOW));
        assertThat(reads).hasValue(0);

        String token = issuer.issue(TestKeys.claims().audience("https://api.example.com").build());
        assertThat(lazy.get().verify(token).claims().audience()).containsExactly("https://api.example.com");
        assertThat(lazy.get()).isSameAs(lazy.get());
        assertThat(reads).hasValue(1);
    }
}
