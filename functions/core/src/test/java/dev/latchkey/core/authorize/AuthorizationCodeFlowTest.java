package dev.latchkey.core.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.latchkey.core.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Authorization codes (RFC 6749 §4.1.2–4.1.3, RFC 7636 §4.6, RFC 9700 §2.1.1, §4.5): every refusal the issue lists
 * for the code step — wrong redirect URI, wrong or missing verifier, replayed code, another client's code, expiry.
 */
class AuthorizationCodeFlowTest {

    /** RFC 7636 Appendix B. */
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
    private final InMemoryAuthorizationCodes codes = new InMemoryAuthorizationCodes();
    private final List<String> revoked = new ArrayList<>();
    private final IssueAuthorizationCode issue = new IssueAuthorizationCode(codes, Duration.ofSeconds(60), clock,
            new SecureRandom());
    private final RedeemAuthorizationCode redeem = new RedeemAuthorizationCode(codes, revoked::add, clock);

    private String code() {
        return issue.issue(new IssueAuthorizationCode.Grant("app_a", "https://rp.example/cb", new Pkce(CHALLENGE),
                "usr_1", "ses_1", List.of("openid", "email"), Optional.of("n1"), clock.instant(), List.of("pwd")));
    }


    @Test
    void pkceWhenRfc7636AppendixBThenVerifierMatchesChallenge() {
        assertThat(Pkce.challengeOf(VERIFIER)).isEqualTo(CHALLENGE);
        assertThat(new Pkce(CHALLENGE).verifies(VERIFIER)).isTrue();
        assertThat(new Pkce(CHALLENGE).verifies(VERIFIER.substring(1) + "A")).isFalse();
        assertThat(new Pkce(CHALLENGE).verifies("short")).isFalse();
        assertThat(new Pkce(CHALLENGE).verifies(null)).isFalse();
    }

    @Test
    void pkceWhenMissingOrPlainOrMalformedThenRefused() {
        assertThat(Pkce.of(null, "S256").problem()).isPresent();
        assertThat(Pkce.of(CHALLENGE, null).problem()).as("no method means plain").isPresent();
        assertThat(Pkce.of(CHALLENGE, "plain").problem()).isPresent();
        assertThat(Pkce.of(VERIFIER + "==", "S256").problem()).isPresent();
        assertThat(Pkce.of(CHALLENGE, "S256").pkce()).contains(new Pkce(CHALLENGE));
    }

    @Test
    void redeemWhenEverythingMatchesThenTheGrantAndOnlyTheHashIsStored() {
        String code = code();

        AuthorizationCode grant = redeem.redeem(code, "app_a", "https://rp.example/cb", VERIFIER).orElseThrow();

        assertThat(grant.userId()).isEqualTo("usr_1");
        assertThat(grant.nonce()).contains("n1");
        assertThat(code).hasSize(43);
        assertThat(codes.storedKeys()).containsExactly(AuthorizationCodes.hash(code)).doesNotContain(code);
    }

    @Test
    void redeemWhenReplayedThenRefusedAndWhatTheFirstIssuedIsRevoked() {
        String code = code();
        AuthorizationCode grant = redeem.redeem(code, "app_a", "https://rp.example/cb", VERIFIER).orElseThrow();
        redeem.issued(grant, "rtf_family1");

        assertThat(redeem.redeem(code, "app_a", "https://rp.example/cb", VERIFIER)).isEmpty();
        assertThat(revoked).containsExactly("rtf_family1");
    }

    @Test
    void redeemWhenAnotherClientsCodeThenRefusedAndTheCodeIsBurnt() {
        String code = code();

        assertThat(redeem.redeem(code, "app_b", "https://rp.example/cb", VERIFIER))
                .isEmpty();
        assertThat(redeem.redeem(code, "app_a", "https://rp.example/cb", VERIFIER))
                .as("burnt by the first presentation").isEmpty();
    }

    @Test
    void redeemWhenWrongRedirectUriThenRefused() {
        String code = code();

        assertThat(redeem.redeem(code, "app_a", "https://rp.example/cb2", VERIFIER))
                .isEmpty();
    }

    @Test
    void redeemWhenWrongOrMissingVerifierThenRefused() {
        assertThat(redeem.redeem(code(), "app_a", "https://rp.example/cb", VERIFIER.replace('d', 'e')))
                .isEmpty();
        assertThat(redeem.redeem(code(), "app_a", "https://rp.example/cb", null))
                .isEmpty();
    }

    @Test
    void redeemWhenSixtySecondsPassedThenRefused() {
        String code = code();
        clock.advance(Duration.ofSeconds(60));

        assertThat(redeem.redeem(code, "app_a", "https://rp.example/cb", VERIFIER))
                .isEmpty();
    }

    @Test
    void redeemWhenUnknownOrMalformedCodeThenRefused() {
        assertThat(redeem.redeem("x".repeat(43), "app_a", "https://rp.example/cb", VERIFIER))
                .isEmpty();
        assertThat(redeem.redeem("short", "app_a", "https://rp.example/cb", VERIFIER))
                .isEmpty();
    }

    @Test
    void issueWhenLifetimeAboveSixtySecondsThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new IssueAuthorizationCode(codes,
                Duration.ofSeconds(61), clock, new SecureRandom()));
    }

    @Test
    void redirectUrisWhenExactOrLoopbackPortThenMatchedOtherwiseNot() {
        RedirectUris web = new RedirectUris(List.of("https://rp.example/cb"));
        RedirectUris nativeApp = new RedirectUris(List.of("http://127.0.0.1/callback", "com.example.app:/cb"));

        assertThat(web.matches("https://rp.example/cb")).isTrue();
        assertThat(web.matches("https://rp.example/cb/")).isFalse();
        assertThat(web.matches("https://rp.example/cb?x=1")).isFalse();
        assertThat(web.matches("https://RP.example/cb")).isFalse();
        assertThat(web.matches("https://rp.example:8443/cb")).as("port only varies on loopback").isFalse();
        assertThat(nativeApp.matches("http://127.0.0.1:51234/callback")).isTrue();
        assertThat(nativeApp.matches("http://127.0.0.1:51234/other")).isFalse();
        assertThat(nativeApp.matches("http://localhost:51234/callback")).isFalse();
        assertThat(nativeApp.matches("com.example.app:/cb")).isTrue();
        assertThat(nativeApp.matches(null)).isFalse();
    }

    @Test
    void redirectUrisWhenFragmentPlainHttpOrScriptThenNotRegistrable() {
        assertThat(RedirectUris.registrable("https://rp.example/cb#frag")).isFalse();
        assertThat(RedirectUris.registrable("http://rp.example/cb")).isFalse();
        assertThat(RedirectUris.registrable("javascript:alert(1)")).isFalse();
        assertThat(RedirectUris.registrable("/relative")).isFalse();
        assertThat(RedirectUris.registrable("http://[::1]/cb")).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> new RedirectUris(List.of("http://rp.example/cb")));
    }
}
