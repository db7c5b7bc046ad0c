package dev.latchkey.core.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.passkey.SoftwareAuthenticator.Algorithm;
import dev.latchkey.core.passkey.SoftwareAuthenticator.Emulation;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.token.VerifiedAccessToken;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Login (WebAuthn L3 §7.2) with in-memory fakes and {@link SoftwareAuthenticator}: the options (usernameless,
 * with an email, with an unknown email), the happy path for each algorithm, and every negative case of
 * SECURITY.md "Passkeys", each with the same 401 and its {@code auth.passkey.failed} reason.
 */
class PasskeyLoginTest {

    private final PasskeyFixture f = new PasskeyFixture();
    private final User ada = f.user("ada@example.com");
    private final SoftwareAuthenticator adasPhone = new SoftwareAuthenticator();
    private final Passkey adasPasskey = f.register(ada, adasPhone);

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> allowCredentials(PasskeyOptions options) {
        return (List<Map<String, Object>>) options.publicKey().get("allowCredentials");
    }

    private static Emulation web() {
        return Emulation.at(PasskeyFixture.WEB_ORIGIN);
    }

    /** A usernameless login by Ada's phone with one thing forged; the failure. */
    private PasskeyException failedLogin(Emulation emulation) {
        return failedLogin(Optional.empty(), adasPhone, emulation, UnaryOperator.identity());
    }

    private PasskeyException failedLogin(Optional<String> email, SoftwareAuthenticator authenticator,
            Emulation emulation, UnaryOperator<Map<String, Object>> optionsSeenByTheClient) {
        PasskeyOptions options = f.startLogin.start(email, PasskeyFixture.REQUEST);
        String json = authenticator.authenticate(optionsSeenByTheClient.apply(options.publicKey()), emulation);
        return rejected(() -> f.finishLogin.finish(options.challengeId(), json, PasskeyFixture.REQUEST));
    }

    /** The call's failure, after checking that it started no session. */
    private PasskeyException rejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        int before = f.sessions.sessions.tokens().size();
        PasskeyException e = catchThrowableOfType(PasskeyException.class, call);
        assertThat(f.sessions.sessions.tokens()).as("no session").hasSize(before);
        return e;
    }

    /** The one 401, no session, the reason in the audit event (in Ada's organization, or the system's). */
    private AuditEvent assertRejected(PasskeyException e, String reason) {
        assertThat(e).as("expected a rejection for %s", reason).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(e.getMessage()).isEqualTo("Passkey authentication failed.");
        assertThat(e.details()).isEmpty();
        assertThat(e.reason()).isEqualTo(reason);
        AuditEvent event = f.last("auth.passkey.failed");
        assertThat(event.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(event.details()).containsEntry("reason", reason);
        assertThat(event.toString()).doesNotContain(adasPasskey.credentialId()).doesNotContain("ada@");
        return event;
    }

    private AuditEvent assertRejectedInAdasOrganization(PasskeyException e, String reason) {
        AuditEvent event = assertRejected(e, reason);
        assertThat(event.organizationId()).contains(ada.personalOrganizationId());
        assertThat(event.target().orElseThrow().id()).isEqualTo(adasPasskey.id());
        return event;
    }

    @Test
    void startWhenNoEmailThenUsernamelessOptionsWithAnEmptyAllowList() {
        PasskeyOptions options = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);

        assertThat(options.publicKey()).containsOnlyKeys("challenge", "timeout", "rpId", "allowCredentials",
                "userVerification");
        assertThat(options.publicKey()).containsEntry("rpId", "id.example.com")
                .containsEntry("userVerification", "required").containsEntry("timeout", 300_000L);
        assertThat(allowCredentials(options)).isEmpty();
        assertThat(Base64.getUrlDecoder().decode(options.challenge())).hasSize(32);
        PasskeyChallenge stored = f.challenges.find(options.challengeId()).orElseThrow();
        assertThat(stored.ceremony()).isEqualTo(Ceremony.AUTHENTICATION);
        assertThat(stored.userId()).isEmpty();
    }

    @Test
    void startWhenCalledTwiceThenFreshChallengesAndIds() {
        PasskeyOptions first = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
        PasskeyOptions second = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);

        assertThat(first.challenge()).isNotEqualTo(second.challenge());
        assertThat(first.challengeId()).isNotEqualTo(second.challengeId());
    }

    @Test
    void startWhenEmailOfAUserWithPasskeysThenHerCredentialsAndABoundChallenge() {
        Passkey second = f.register(ada, new SoftwareAuthenticator(Algorithm.RS256));

        PasskeyOptions options = f.startLogin.start(Optional.of(" ADA@example.com "), PasskeyFixture.REQUEST);

        assertThat(allowCredentials(options)).extracting(d -> d.get("id"))
                .containsExactly(adasPasskey.credentialId(), second.credentialId());
        assertThat(allowCredentials(options)).allSatisfy(d -> assertThat(d).containsEntry("type", "public-key")
                .containsEntry("transports", List.of("internal", "hybrid")));
        assertThat(f.challenges.find(options.challengeId()).orElseThrow().userId()).contains(ada.id());
    }

    @Test
    void startWhenEmailUnknownOrWithoutPasskeysThenADecoyShapedLikeARealAnswerAndStableAcrossCalls() {
        f.user("bob@example.com");
        PasskeyOptions known = f.startLogin.start(Optional.of("ada@example.com"), PasskeyFixture.REQUEST);
        PasskeyOptions unknown = f.startLogin.start(Optional.of("nobody@example.com"), PasskeyFixture.REQUEST);
        PasskeyOptions unknownAgain = f.startLogin.start(Optional.of("Nobody@Example.com"), PasskeyFixture.REQUEST);
        PasskeyOptions withoutPasskeys = f.startLogin.start(Optional.of("bob@example.com"), PasskeyFixture.REQUEST);

        for (PasskeyOptions decoy : List.of(unknown, withoutPasskeys)) {
            assertThat(decoy.publicKey().keySet()).containsExactlyElementsOf(known.publicKey().keySet());
            assertThat(allowCredentials(decoy)).hasSize(1);
            Map<String, Object> descriptor = allowCredentials(decoy).get(0);
            assertThat(descriptor.keySet()).containsExactlyElementsOf(allowCredentials(known).get(0).keySet());
            assertThat(Base64.getUrlDecoder().decode((String) descriptor.get("id"))).hasSize(32);
            assertThat(descriptor.get("transports")).isEqualTo(List.of("hybrid", "internal"));
        }
        assertThat(allowCredentials(unknownAgain)).isEqualTo(allowCredentials(unknown));
        assertThat(allowCredentials(withoutPasskeys)).isNotEqualTo(allowCredentials(unknown));
        assertThat(f.challenges.find(unknown.challengeId()).orElseThrow().userId())
                .contains(PasskeyChallenge.UNKNOWN_USER);
    }

    @Test
    void startWhenEmailIsNoAddressThenValidationError() {
        assertThatThrownBy(() -> f.startLogin.start(Optional.of("not an address"), PasskeyFixture.REQUEST))
                .isInstanceOf(AccountException.class);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void finishWhenUsernamelessAssertionValidThenTokensLikeAPasswordLoginWithHwk(Algorithm algorithm) {
        SoftwareAuthenticator key = new SoftwareAuthenticator(algorithm);
        Passkey passkey = f.register(ada, key);
        f.clock.advance(Duration.ofMinutes(1));

        TokenResponse tokens = f.login(key);

        assertThat(tokens.user().id()).isEqualTo(ada.id());
        assertThat(tokens.user().email()).isEqualTo("ada@example.com");
        assertThat(tokens.tokenType()).isEqualTo("Bearer");
        VerifiedAccessToken verified = f.sessions.verifier().verify(tokens.accessToken());
        assertThat(verified.claims().subject()).isEqualTo(ada.id());
        assertThat(verified.claims().amr()).containsExactly("hwk", "user", "mfa");
        assertThat(verified.claims().org()).contains(ada.personalOrganizationId());
        assertThat(f.sessions.session(tokens.sessionId()).amr()).containsExactly("hwk", "user", "mfa");
        Passkey used = f.passkeys.findByCredentialId(passkey.credentialId()).orElseThrow();
        assertThat(used.signCount()).isEqualTo(1);
        assertThat(used.lastUsedAt()).contains(f.clock.instant());
        AuditEvent event = f.last("auth.passkey.succeeded");
        assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(event.organizationId()).contains(ada.personalOrganizationId());
        assertThat(event.target().orElseThrow().id()).isEqualTo(passkey.id());
        assertThat(event.details()).containsEntry("session", tokens.sessionId())
                .containsEntry("user_verified", "true");
    }

    @Test
    void finishWhenEmailNamedAndHerCredentialUsedThenLoggedIn() {
        TokenResponse tokens = f.login(adasPhone, Optional.of("ada@example.com"), web());

        assertThat(tokens.user().id()).isEqualTo(ada.id());
    }

    @Test
    void finishWhenFromTheAndroidAppThenLoggedIn() {
        assertThat(f.login(adasPhone, Optional.empty(), Emulation.at(PasskeyFixture.ANDROID_ORIGIN)).user().id())
                .isEqualTo(ada.id());
    }

    @Test
    void finishWhenCounterStaysZeroThenEveryLoginWorks() {
        SoftwareAuthenticator synced = new SoftwareAuthenticator();
        f.register(ada, synced);

        f.login(synced, Optional.empty(), web().signCount(0));
        f.login(synced, Optional.empty(), web().signCount(0));

        assertThat(f.sessions.sessions.tokens()).hasSize(2);
    }

    @Test
    void finishWhenBackupStateChangesThenRecorded() {
        f.login(adasPhone, Optional.empty(), web().backedUp(false));

        assertThat(f.passkeys.findByCredentialId(adasPasskey.credentialId()).orElseThrow().backedUp()).isFalse();
    }

    @Test
    void finishWhenUserVerificationOnlyPreferredAndNotDoneThenAmrIsHwkAlone() {
        PasskeyFixture preferred = new PasskeyFixture(PasskeyPolicy.of(PasskeyFixture.RP_ID, "Latchkey",
                List.of(PasskeyFixture.WEB_ORIGIN)).withUserVerificationRequired(false));
        User user = preferred.user("ada@example.com");
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        preferred.register(user, key);

        TokenResponse tokens = preferred.login(key, Optional.empty(), web().userVerified(false));

        assertThat(preferred.sessions.session(tokens.sessionId()).amr()).containsExactly("hwk");
        assertThat(preferred.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST).publicKey())
                .containsEntry("userVerification", "preferred");
    }

    @Test
    void finishWhenTypeIsWebauthnCreateThenRejected() {
        assertRejectedInAdasOrganization(failedLogin(web().type("webauthn.create")), "type_mismatch");
    }

    @Test
    void finishWhenChallengeIsAnotherThenRejected() {
        assertRejectedInAdasOrganization(failedLogin(web().challenge(PasskeyChallenge.newChallenge(f.random))),
                "challenge_mismatch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://id.example.com", "https://id.example.com:8443", "https://evil.id.example.com",
        "https://example.com", "https://id.example.com.evil.test"})
    void finishWhenOriginSchemePortOrSubdomainIsWrongThenRejected(String origin) {
        assertRejectedInAdasOrganization(failedLogin(Emulation.at(origin)), "origin_mismatch");
    }

    @Test
    void finishWhenRpIdHashIsAnotherDomainsThenRejected() {
        assertRejectedInAdasOrganization(failedLogin(web().rpId("evil.example")), "rp_id_mismatch");
    }

    @Test
    void finishWhenCrossOriginThenRejected() {
        assertRejectedInAdasOrganization(failedLogin(web().crossOrigin(true).topOrigin("https://evil.example")),
                "cross_origin");
        assertRejectedInAdasOrganization(failedLogin(web().crossOrigin(true)), "cross_origin");
    }

    @Test
    void finishWhenUserVerificationRequiredButOnlyPresenceThenRejected() {
        assertRejectedInAdasOrganization(failedLogin(web().userVerified(false)), "user_not_verified");
    }

    @Test
    void finishWhenNoUserPresenceThenRejected() {
        assertRejectedInAdasOrganization(failedLogin(web().userPresent(false)), "user_not_present");
    }

    @Test
    void finishWhenSignatureTamperedThenRejected() {
        assertRejectedInAdasOrganization(failedLogin(web().tamperSignature()), "bad_signature");
    }

    @Test
    void finishWhenCounterGoesBackThenRejectedAsAClonedAuthenticator() {
        f.login(adasPhone, Optional.empty(), web().signCount(10));

        assertRejectedInAdasOrganization(failedLogin(web().signCount(9)), "counter_regression");
        // Issue 20 §4: from then on the passkey is suspected-cloned and refused, whatever the counter.
        assertRejectedInAdasOrganization(failedLogin(web().signCount(10)), "suspected_clone");
        Passkey stored = f.passkeys.findByCredentialId(adasPasskey.credentialId()).orElseThrow();
        assertThat(stored.signCount()).isEqualTo(10);
        assertThat(stored.suspectedClone()).isTrue();
    }

    @Test
    void finishWhenCounterDropsToZeroAfterItWasNonzeroThenRejected() {
        f.login(adasPhone, Optional.empty(), web().signCount(3));

        assertRejectedInAdasOrganization(failedLogin(web().signCount(0)), "counter_regression");
    }

    @Test
    void finishWhenBackupEligibilityChangesThenRejected() {
        assertRejectedInAdasOrganization(failedLogin(web().backupEligible(false).backedUp(false)),
                "backup_eligibility_changed");
    }

    @Test
    void finishWhenChallengeNamedAdaButBobsCredentialAnswersThenRejected() {
        User bob = f.user("bob@example.com");
        SoftwareAuthenticator bobsKey = new SoftwareAuthenticator();
        Passkey bobs = f.register(bob, bobsKey);
        // Bob's client gets Ada's options (her allow list) and answers with his own credential anyway.
        PasskeyException e = failedLogin(Optional.of("ada@example.com"), bobsKey,
                web().credential(bobs.credentialId()), UnaryOperator.identity());

        AuditEvent event = assertRejected(e, "user_mismatch");
        assertThat(event.organizationId()).contains(bob.personalOrganizationId());
    }

    @Test
    void finishWhenChallengeNamedAnUnknownEmailThenNoCredentialCompletesIt() {
        PasskeyException e = failedLogin(Optional.of("nobody@example.com"), adasPhone,
                web().credential(adasPasskey.credentialId()), UnaryOperator.identity());

        assertRejectedInAdasOrganization(e, "user_mismatch");
    }

    @Test
    void finishWhenUserHandleIsAnotherUsersThenRejected() {
        User bob = f.user("bob@example.com");
        f.register(bob, new SoftwareAuthenticator());
        String bobsHandle = f.passkeys.handle(bob.id()).orElseThrow();

        assertRejectedInAdasOrganization(failedLogin(web().userHandle(bobsHandle)), "user_handle_mismatch");
    }

    @Test
    void finishWhenUsernamelessAndNoUserHandleThenRejected() {
        assertRejectedInAdasOrganization(failedLogin(web().userHandle(false)), "user_handle_missing");
    }

    @Test
    void finishWhenEmailNamedAndNoUserHandleThenAccepted() {
        assertThat(f.login(adasPhone, Optional.of("ada@example.com"), web().userHandle(false)).user().id())
                .isEqualTo(ada.id());
    }

    @Test
    void finishWhenCredentialUnknownThenRejectedInTheSystemPartition() {
        SoftwareAuthenticator stranger = new SoftwareAuthenticator();
        stranger.register(f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST).publicKey(),
                web());

        AuditEvent event = assertRejected(failedLogin(Optional.empty(), stranger, web(), UnaryOperator.identity()),
                "credential_unknown");
        assertThat(event.organizationId()).isEmpty();
        assertThat(event.actor().type().name()).isEqualTo("ANONYMOUS");
    }

    @Test
    void finishWhenResponseReplayedThenRejectedBecauseTheChallengeIsSpent() {
        PasskeyOptions options = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
        String json = adasPhone.authenticate(options.publicKey(), web());
        f.finishLogin.finish(options.challengeId(), json, PasskeyFixture.REQUEST);

        PasskeyException e = rejected(() -> f.finishLogin.finish(
                options.challengeId(), json, PasskeyFixture.REQUEST));

        assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(e.reason()).isEqualTo("challenge_unknown");
        assertThat(f.sessions.sessions.tokens()).hasSize(1);
        AuditEvent event = f.last("auth.passkey.failed");
        assertThat(event.details()).containsEntry("reason", "challenge_unknown");
        assertThat(event.organizationId()).isEmpty();
    }

    @Test
    void finishWhenChallengeExpiredThenRejectedEvenThoughItsItemStillExists() {
        PasskeyOptions options = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
        String json = adasPhone.authenticate(options.publicKey(), web());
        f.clock.advance(Duration.ofMinutes(5));
        assertThat(f.challenges.find(options.challengeId())).isPresent();

        PasskeyException e = rejected(() -> f.finishLogin.finish(
                options.challengeId(), json, PasskeyFixture.REQUEST));

        assertRejected(e, "challenge_expired");
        assertThat(f.challenges.find(options.challengeId())).isEmpty();
    }

    @Test
    void finishWhenChallengeIsARegistrationChallengeThenRejected() {
        PasskeyOptions registration = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        PasskeyOptions login = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
        Map<String, Object> forged = new java.util.LinkedHashMap<>(login.publicKey());
        forged.put("challenge", registration.challenge());
        String json = adasPhone.authenticate(forged, web());

        PasskeyException e = rejected(() -> f.finishLogin.finish(
                registration.challengeId(), json, PasskeyFixture.REQUEST));

        assertRejected(e, "challenge_unknown");
        assertThat(f.challenges.find(registration.challengeId())).as("not spent by a login").isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"chl_nope", "chl_00000000000000000000000000", "../etc"})
    void finishWhenChallengeIdUnknownOrMalformedThenRejected(String challengeId) {
        String json = adasPhone.authenticate(f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST).publicKey(),
                web());

        assertRejected(rejected(() -> f.finishLogin.finish(challengeId, json,
                PasskeyFixture.REQUEST)), "challenge_unknown");
    }

    @Test
    void finishWhenAnythingFailsThenTheAnswerIsTheSame() {
        PasskeyException unknown = failedLogin(web().challenge(PasskeyChallenge.newChallenge(f.random)));
        PasskeyException origin = failedLogin(Emulation.at("https://evil.example"));
        PasskeyException verification = failedLogin(web().userVerified(false));

        for (PasskeyException e : List.of(unknown, origin, verification)) {
            assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(e.getMessage()).isEqualTo(unknown.getMessage());
            assertThat(e.details()).isEqualTo(unknown.details());
            assertThat(e.headers()).isEqualTo(unknown.headers());
        }
    }

    @Test
    void finishWhenMalformedResponseThenValidationErrorAndChallengeKept() {
        PasskeyOptions options = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);

        PasskeyException e = rejected(() -> f.finishLogin.finish(
                options.challengeId(), "{\"type\":\"public-key\"}", PasskeyFixture.REQUEST));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(f.challenges.find(options.challengeId())).isPresent();
    }

    @Test
    void finishWhenChallengeIdMissingThenValidationError() {
        assertThatThrownBy(() -> f.finishLogin.finish(null, "{}", PasskeyFixture.REQUEST))
                .isInstanceOf(AccountException.class);
    }

    @Test
    void finishWhenOverThePerIpLimitThenRateLimitedInItsOwnBucket() {
        RequestOrigin attacker = RequestOrigin.of("198.51.100.7", "req-x");
        for (int i = 0; i < 30; i++) {
            PasskeyOptions options = f.startLogin.start(Optional.empty(), attacker);
            String json = adasPhone.authenticate(options.publicKey(), web().tamperSignature());
            catchThrowable(() -> f.finishLogin.finish(options.challengeId(), json, attacker));
        }
        PasskeyOptions options = f.startLogin.start(Optional.empty(), attacker);
        String json = adasPhone.authenticate(options.publicKey(), web());

        assertThatThrownBy(() -> f.finishLogin.finish(options.challengeId(), json, attacker))
                .isInstanceOf(RateLimitedException.class);
        assertThat(f.challenges.find(options.challengeId())).as("not spent when limited").isPresent();
        assertThat(f.login(adasPhone).user().id()).as("another IP is not limited").isEqualTo(ada.id());
        f.clock.advance(Duration.ofMinutes(1));
        PasskeyOptions later = f.startLogin.start(Optional.empty(), attacker);
        assertThat(f.finishLogin.finish(later.challengeId(), adasPhone.authenticate(later.publicKey(), web()),
                attacker).user().id()).isEqualTo(ada.id());
    }

    @Test
    void startWhenOverThePerIpLimitThenRateLimited() {
        RequestOrigin busy = RequestOrigin.of("198.51.100.8", "req-y");
        for (int i = 0; i < 60; i++) {
            f.startLogin.start(Optional.empty(), busy);
        }

        assertThatThrownBy(() -> f.startLogin.start(Optional.empty(), busy)).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void finishWhenCounterMovedByAParallelLoginThenTheSlowerOneIsRejected() {
        f.login(adasPhone, Optional.empty(), web().signCount(5));
        PasskeyOptions first = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
        PasskeyOptions second = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
        String six = adasPhone.authenticate(first.publicKey(), web().signCount(6));
        String seven = adasPhone.authenticate(second.publicKey(), web().signCount(7));
        f.finishLogin.finish(second.challengeId(), seven, PasskeyFixture.REQUEST);

        assertRejectedInAdasOrganization(rejected(() -> f.finishLogin.finish(
                first.challengeId(), six, PasskeyFixture.REQUEST)), "counter_regression");
    }

    @Test
    void finishWhenPasskeyDeletedBetweenOptionsAndVerifyThenRejected() {
        PasskeyOptions options = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
        String json = adasPhone.authenticate(options.publicKey(), web());
        f.manage.delete(ada.id(), adasPasskey.id(), PasskeyFixture.REQUEST);

        assertRejected(rejected(() -> f.finishLogin.finish(options.challengeId(),
                json, PasskeyFixture.REQUEST)), "credential_unknown");
    }

    @Test
    void finishWhenResponseBytesAreMangledThenAlwaysARejectionNeverAnotherError() {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            f.clock.advance(Duration.ofSeconds(3));
            PasskeyOptions options = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
            String json = adasPhone.authenticate(options.publicKey(), web().signCount(1000 + i));
            String mangled = Mangler.mangle(json, random, "clientDataJSON", "authenticatorData", "signature");

            RequestOrigin origin = RequestOrigin.of("192.0.2." + (i % 200), "req-" + i);
            Throwable thrown = catchThrowable(() -> f.finishLogin.finish(options.challengeId(), mangled, origin));

            if (thrown != null) {
                assertThat(thrown).as("mangled response %s", i).isInstanceOf(PasskeyException.class);
            }
        }
    }
}
