package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokenClaimsTest {

    @Test
    void builderWhenAllClaimsSetThenRecordHoldsThem() {
        AccessTokenClaims claims = TestKeys.claims()
                .scope("openid", "org:read")
                .clientId("cli_1").org("org_1").sessionId("ses_1")
                .amr("pwd", "otp")
                .authTime(TestKeys.NOW.minusSeconds(60))
                .build();

        assertThat(claims.scope()).containsExactly("openid", "org:read");
        assertThat(claims.clientId()).contains("cli_1");
        assertThat(claims.org()).contains("org_1");
        assertThat(claims.sessionId()).contains("ses_1");
        assertThat(claims.amr()).containsExactly("pwd", "otp");
        assertThat(claims.authTime()).contains(TestKeys.NOW.minusSeconds(60));
    }

    @Test
    void builderWhenOptionalsUnsetThenEmpty() {
        AccessTokenClaims claims = TestKeys.claims().build();

        assertThat(claims.scope()).isEmpty();
        assertThat(claims.amr()).isEmpty();
        assertThat(claims.clientId()).isEmpty();
        assertThat(claims.org()).isEmpty();
        assertThat(claims.sessionId()).isEmpty();
        assertThat(claims.authTime()).isEmpty();
    }

    @Test
    void builderWhenLifetimeThenExpiresAtIsIssuedAtPlusLifetimeInWholeSeconds() {
        AccessTokenClaims claims = TestKeys.claims().issuedAt(TestKeys.NOW.plusMillis(999))
                .lifetime(Duration.ofMinutes(15)).build();

        assertThat(claims.issuedAt()).isEqualTo(TestKeys.NOW);
        assertThat(claims.expiresAt()).isEqualTo(TestKeys.NOW.plusSeconds(900));
    }

    @Test
    void constructorWhenInstantsHaveFractionsThenTruncatedToSeconds() {
        AccessTokenClaims claims = TestKeys.claims().issuedAt(TestKeys.NOW.plusNanos(1))
                .expiresAt(TestKeys.NOW.plusSeconds(60).plusMillis(500)).authTime(TestKeys.NOW.minusMillis(1)).build();

        assertThat(claims.issuedAt()).isEqualTo(TestKeys.NOW);
        assertThat(claims.expiresAt()).isEqualTo(TestKeys.NOW.plusSeconds(60));
        assertThat(claims.authTime()).contains(TestKeys.NOW.minusSeconds(1));
    }

    @Test
    void toBuilderWhenRebuiltThenEqual() {
        AccessTokenClaims claims = TestKeys.claims().scope("a").clientId("c").org("o").sessionId("s").amr("pwd")
                .authTime(TestKeys.NOW).build();

        assertThat(claims.toBuilder().build()).isEqualTo(claims);
        assertThat(claims.toBuilder().subject("other").build().subject()).isEqualTo("other");
    }

    @Test
    void constructorWhenListsChangedLaterThenClaimsUnchanged() {
        List<String> scope = new ArrayList<>(List.of("a"));
        AccessTokenClaims claims = TestKeys.claims().scope(scope).build();

        scope.add("b");

        assertThat(claims.scope()).containsExactly("a");
    }

    @Test
    void constructorWhenExpiryNotAfterIssueThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().expiresAt(TestKeys.NOW).build());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TestKeys.claims().expiresAt(TestKeys.NOW.plusMillis(999)).build());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TestKeys.claims().expiresAt(TestKeys.NOW.minusSeconds(1)).build());
    }

    @Test
    void constructorWhenRequiredStringBlankThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().issuer(" ").build());
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().subject("").build());
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().jwtId("").build());
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().audience(List.of()).build());
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().audience("a", " ").build());
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().clientId("").build());
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().org(" ").build());
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().sessionId("").build());
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().amr("").build());
    }

    @Test
    void builderWhenRequiredClaimMissingThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().issuer(null).build());
        assertThatNullPointerException().isThrownBy(() -> TestKeys.claims().issuedAt(null).build());
        assertThatNullPointerException().isThrownBy(() -> TestKeys.claims().expiresAt(null).build());
        assertThatNullPointerException()
                .isThrownBy(() -> TestKeys.claims().issuedAt(null).lifetime(Duration.ofMinutes(1)).build());
    }

    /** RFC 6749 §3.3: a scope token is 1*NQCHAR — no space, no quote, no backslash, printable ASCII. */
    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "quote\"", "back\\slash", "tab\t", "é", "new\nline"})
    void constructorWhenScopeTokenNotNqcharThenRejected(String token) {
        assertThatIllegalArgumentException().isThrownBy(() -> TestKeys.claims().scope(token).build());
    }

    @Test
    void constructorWhenScopeTokensPrintableAsciiThenAccepted() {
        AccessTokenClaims claims = TestKeys.claims().scope("org:read", "api_key:create", "!#[]~").build();

        assertThat(claims.scope()).hasSize(3);
    }

    @Test
    void builderWhenExpiresAtAfterLifetimeThenExpiresAtWins() {
        Instant exp = TestKeys.NOW.plusSeconds(5);

        assertThat(TestKeys.claims().lifetime(Duration.ofHours(1)).expiresAt(exp).build().expiresAt()).isEqualTo(exp);
    }
}
