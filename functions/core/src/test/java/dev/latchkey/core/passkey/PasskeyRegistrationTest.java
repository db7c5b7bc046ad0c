package dev.latchkey.core.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.passkey.SoftwareAuthenticator.Algorithm;
import dev.latchkey.core.passkey.SoftwareAuthenticator.Emulation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Registration (WebAuthn L3 §7.1) with in-memory fakes and {@link SoftwareAuthenticator}: the options, the happy
 * path for each algorithm, and every negative case of SECURITY.md "Passkeys" that applies to registration, each
 * with its {@code passkey.added} failure event.
 */
class PasskeyRegistrationTest {

    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private final PasskeyFixture f = new PasskeyFixture();
    private final User ada = f.user("ada@example.com");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    /** Runs a registration with one thing forged and returns the failure. */
    private PasskeyException failedRegistration(Emulation emulation) {
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String json = new SoftwareAuthenticator().register(options.publicKey(), emulation).json();
        return catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(ada), options.challengeId(), json, Optional.empty(), PasskeyFixture.REQUEST));
    }

    private void assertRefusedAndAudited(PasskeyException e, ErrorCode code, String reason) {
        assertThat(e).as("expected a refusal for %s", reason).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(f.passkeys.all()).as("nothing stored").isEmpty();
        AuditEvent event = f.last("passkey.added");
        assertThat(event.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(event.details()).containsEntry("reason", reason);
        assertThat(event.organizationId()).contains(ada.personalOrganizationId());
        assertThat(event.actor().id()).isEqualTo(ada.id());
    }

    @Test
    void startWhenCalledThenCreationOptionsInTheLevel3JsonForm() {
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);

        Map<String, Object> publicKey = options.publicKey();
        assertThat(publicKey).containsOnlyKeys("rp", "user", "challenge", "pubKeyCredParams", "timeout",
                "excludeCredentials", "authenticatorSelection", "attestation");
        assertThat(map(publicKey.get("rp"))).containsExactlyEntriesOf(Map.of("id", "id.example.com",
                "name", "Latchkey"));
        assertThat(map(publicKey.get("user"))).containsEntry("name", "ada@example.com")
                .containsEntry("displayName", "Ada Lovelace").containsKey("id");
        assertThat(list(publicKey.get("pubKeyCredParams"))).extracting(p -> p.get("alg")).containsExactly(-7, -8,
                -257);
        assertThat(list(publicKey.get("pubKeyCredParams"))).allSatisfy(p -> assertThat(p.get("type"))
                .isEqualTo("public-key"));
        assertThat(publicKey.get("timeout")).isEqualTo(300_000L);
        assertThat(publicKey.get("excludeCredentials")).isEqualTo(List.of());
        assertThat(map(publicKey.get("authenticatorSelection"))).containsEntry("residentKey", "preferred")
                .containsEntry("requireResidentKey", false).containsEntry("userVerification", "required");
        assertThat(publicKey.get("attestation")).isEqualTo("none");
        assertThat(options.challengeId()).matches(PasskeyChallenge.ID);
        PasskeyChallenge stored = f.challenges.find(options.challengeId()).orElseThrow();
        assertThat(stored.ceremony()).isEqualTo(Ceremony.REGISTRATION);
        assertThat(stored.userId()).contains(ada.id());
        assertThat(stored.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(publicKey).isUnmodifiable();
    }

    @Test
    void optionsWhenWrittenWithTheApisJsonThenSnakeCaseOutsideAndTheSpecsCamelCaseInside() {
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);

        String json = new String(dev.latchkey.core.http.Json.write(options), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"challenge_id\":\"" + options.challengeId() + "\",\"public_key\":{\"rp\":")
                .contains("\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7},")
                .contains("\"displayName\":\"Ada Lovelace\"", "\"excludeCredentials\":[]", "\"timeout\":300000",
                        "\"authenticatorSelection\":{\"residentKey\":\"preferred\",\"requireResidentKey\":false,"
                                + "\"userVerification\":\"required\"}", "\"attestation\":\"none\"");
    }

    @Test
    void startWhenCalledTwiceThenChallengesAreFreshAtLeast16BytesAndDifferent() {
        PasskeyOptions first = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        PasskeyOptions second = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);

        assertThat(BASE64URL.decode(first.challenge())).hasSizeGreaterThanOrEqualTo(16).hasSize(32);
        assertThat(first.challenge()).isNotEqualTo(second.challenge());
        assertThat(first.challengeId()).isNotEqualTo(second.challengeId());
    }

    @Test
    void startWhenCalledThenUserHandleIsRandomStablePerUserAndHoldsNeitherEmailNorId() {
        User bob = f.user("bob@example.com");
        String adaHandle = (String) map(f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST)
                .publicKey().get("user")).get("id");
        String adaAgain = (String) map(f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST)
                .publicKey().get("user")).get("id");
        String bobHandle = (String) map(f.startRegistration.start(f.caller(bob), PasskeyFixture.REQUEST)
                .publicKey().get("user")).get("id");

        assertThat(adaAgain).isEqualTo(adaHandle);
        assertThat(bobHandle).isNotEqualTo(adaHandle);
        byte[] bytes = BASE64URL.decode(adaHandle);
        assertThat(bytes).hasSize(StartPasskeyRegistration.USER_HANDLE_BYTES);
        String asText = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(asText).doesNotContain("ada").doesNotContain(ada.id()).doesNotContain(ada.id().substring(4, 14));
        assertThat(adaHandle).doesNotContain("ada").doesNotContain(ada.id().substring(4));
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void finishWhenResponseValidThenPasskeyStoredWithItsLookupAndAudited(Algorithm algorithm) {
        UUID aaguid = UUID.fromString("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4");
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(algorithm, aaguid);
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        SoftwareAuthenticator.Registration registration = authenticator.register(options.publicKey(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN).transports(List.of("internal", "hybrid")));

        Passkey passkey = f.finishRegistration.finish(f.caller(ada), options.challengeId(),
                registration.json(), Optional.of("  MacBook Touch ID "), PasskeyFixture.REQUEST);

        assertThat(passkey.id()).matches(Passkey.ID);
        assertThat(passkey.userId()).isEqualTo(ada.id());
        assertThat(passkey.credentialId()).isEqualTo(registration.credential().id());
        assertThat(passkey.algorithm()).isEqualTo(algorithm.cose());
        assertThat(passkey.nickname()).isEqualTo("MacBook Touch ID");
        assertThat(passkey.transports()).containsExactly("internal", "hybrid");
        assertThat(passkey.aaguid()).isEqualTo(aaguid.toString());
        assertThat(passkey.backupEligible()).isTrue();
        assertThat(passkey.backedUp()).isTrue();
        assertThat(passkey.uvInitialized()).isTrue();
        assertThat(passkey.signCount()).isZero();
        assertThat(passkey.lastUsedAt()).isEmpty();
        assertThat(passkey.createdAt()).isEqualTo(f.clock.instant());
        assertThat(passkey.userHandle()).isEqualTo(registration.credential().userHandle());
        assertThat(f.passkeys.findByCredentialId(passkey.credentialId())).contains(passkey);
        assertThat(f.challenges.find(options.challengeId())).as("challenge spent").isEmpty();
        AuditEvent event = f.last("passkey.added");
        assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(event.organizationId()).contains(ada.personalOrganizationId());
        assertThat(event.target().orElseThrow().id()).isEqualTo(passkey.id());
        assertThat(event.details()).containsEntry("algorithm", Integer.toString(algorithm.cose()))
                .containsEntry("aaguid", aaguid.toString());
        assertThat(event.toString()).doesNotContain(passkey.credentialId());
    }

    @Test
    void finishWhenNoNicknameThenDefault() {
        assertThat(f.register(ada, new SoftwareAuthenticator()).nickname()).isEqualTo(PasskeyNickname.DEFAULT);
    }

    @Test
    void finishWhenFromTheAndroidAppOriginThenAccepted() {
        Passkey passkey = f.register(ada, new SoftwareAuthenticator(), Emulation.at(PasskeyFixture.ANDROID_ORIGIN));

        assertThat(passkey.userId()).isEqualTo(ada.id());
    }

    @Test
    void startWhenUserHasPasskeysThenExcludeCredentialsListsThemAll() {
        Passkey first = f.register(ada, new SoftwareAuthenticator());
        Passkey second = f.register(ada, new SoftwareAuthenticator(Algorithm.EDDSA));

        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);

        assertThat(list(options.publicKey().get("excludeCredentials")))
                .containsExactly(Map.of("type", "public-key", "id", first.credentialId(),
                                "transports", List.of("internal", "hybrid")),
                        Map.of("type", "public-key", "id", second.credentialId(),
                                "transports", List.of("internal", "hybrid")));
    }

    @Test
    void startWhenAuthenticatorHoldsAnExcludedCredentialThenItRefusesToMakeASecond() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        f.register(ada, authenticator);
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);

        assertThatThrownBy(() -> authenticator.register(options.publicKey(), Emulation.at(PasskeyFixture.WEB_ORIGIN)))
                .hasMessageContaining("InvalidStateError");
    }

    @Test
    void finishWhenTypeIsWebauthnGetThenRefused() {
        assertRefusedAndAudited(failedRegistration(Emulation.at(PasskeyFixture.WEB_ORIGIN).type("webauthn.get")),
                ErrorCode.VALIDATION_ERROR, "type_mismatch");
    }

    @Test
    void finishWhenChallengeIsAnotherThenRefused() {
        String other = PasskeyChallenge.newChallenge(f.random);

        assertRefusedAndAudited(failedRegistration(Emulation.at(PasskeyFixture.WEB_ORIGIN).challenge(other)),
                ErrorCode.VALIDATION_ERROR, "challenge_mismatch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://id.example.com", "https://id.example.com:8443", "https://evil.id.example.com",
        "https://example.com", "https://id.example.com.evil.test", "android:apk-key-hash:AAAAAAAAAAAAAAAAAAAAAAAA"})
    void finishWhenOriginIsNotAllowedThenRefused(String origin) {
        assertRefusedAndAudited(failedRegistration(Emulation.at(origin)), ErrorCode.VALIDATION_ERROR,
                "origin_mismatch");
    }

    @Test
    void finishWhenRpIdHashIsAnotherDomainsThenRefused() {
        assertRefusedAndAudited(failedRegistration(Emulation.at(PasskeyFixture.WEB_ORIGIN).rpId("evil.example")),
                ErrorCode.VALIDATION_ERROR, "rp_id_mismatch");
    }

    @Test
    void finishWhenCrossOriginThenRefused() {
        assertRefusedAndAudited(failedRegistration(Emulation.at(PasskeyFixture.WEB_ORIGIN).crossOrigin(true)
                .topOrigin("https://evil.example")), ErrorCode.VALIDATION_ERROR, "cross_origin");
    }

    @Test
    void finishWhenUserVerificationRequiredButOnlyPresenceThenRefused() {
        assertRefusedAndAudited(failedRegistration(Emulation.at(PasskeyFixture.WEB_ORIGIN).userVerified(false)),
                ErrorCode.VALIDATION_ERROR, "user_not_verified");
    }

    @Test
    void finishWhenUserNotPresentThenRefused() {
        assertRefusedAndAudited(failedRegistration(Emulation.at(PasskeyFixture.WEB_ORIGIN).userPresent(false)),
                ErrorCode.VALIDATION_ERROR, "user_not_present");
    }

    @Test
    void finishWhenUserVerificationOnlyPreferredThenPresenceIsEnough() {
        PasskeyFixture preferred = new PasskeyFixture(PasskeyPolicy.of(PasskeyFixture.RP_ID, "Latchkey",
                List.of(PasskeyFixture.WEB_ORIGIN)).withUserVerificationRequired(false));
        User user = preferred.user("ada@example.com");

        Passkey passkey = preferred.register(user, new SoftwareAuthenticator(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN).userVerified(false));

        assertThat(passkey.uvInitialized()).isFalse();
    }

    @Test
    void finishWhenResponseReplayedThenChallengeAlreadySpent() {
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String json = new SoftwareAuthenticator().register(options.publicKey(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN)).json();
        f.finishRegistration.finish(f.caller(ada), options.challengeId(), json, Optional.empty(),
                PasskeyFixture.REQUEST);

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(ada), options.challengeId(), json, Optional.empty(), PasskeyFixture.REQUEST));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.reason()).isEqualTo("challenge_unknown");
        assertThat(e.details()).containsEntry("reason", "INVALID_CHALLENGE");
        assertThat(f.passkeys.all()).hasSize(1);
        assertThat(f.last("passkey.added").details()).containsEntry("reason", "challenge_unknown");
    }

    @Test
    void finishWhenChallengeExpiredThenRefusedEvenThoughItsItemStillExists() {
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String json = new SoftwareAuthenticator().register(options.publicKey(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN)).json();
        f.clock.advance(Duration.ofMinutes(5));
        assertThat(f.challenges.find(options.challengeId())).as("the item is still there").isPresent();

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(ada), options.challengeId(), json, Optional.empty(), PasskeyFixture.REQUEST));

        assertRefusedAndAudited(e, ErrorCode.VALIDATION_ERROR, "challenge_expired");
        assertThat(f.challenges.find(options.challengeId())).as("and now spent").isEmpty();
    }

    @Test
    void finishWhenChallengeJustBeforeExpiryThenAccepted() {
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String json = new SoftwareAuthenticator().register(options.publicKey(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN)).json();
        f.clock.advance(Duration.ofMinutes(5).minusMillis(1));

        assertThat(f.finishRegistration.finish(f.caller(ada), options.challengeId(), json,
                Optional.empty(), PasskeyFixture.REQUEST).userId()).isEqualTo(ada.id());
    }

    @Test
    void finishWhenChallengeWasIssuedToAnotherUserThenRefusedAndNotSpent() {
        User eve = f.user("eve@example.com");
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String json = new SoftwareAuthenticator().register(options.publicKey(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN)).json();

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(eve), options.challengeId(), json, Optional.empty(), PasskeyFixture.REQUEST));

        assertThat(e.reason()).isEqualTo("challenge_unknown");
        assertThat(f.challenges.find(options.challengeId())).as("Ada can still finish").isPresent();
        assertThat(f.last("passkey.added").organizationId()).contains(eve.personalOrganizationId());
        assertThat(f.finishRegistration.finish(f.caller(ada), options.challengeId(), json,
                Optional.empty(), PasskeyFixture.REQUEST).userId()).isEqualTo(ada.id());
    }

    @Test
    void finishWhenChallengeIsALoginChallengeThenRefused() {
        PasskeyOptions registration = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        PasskeyOptions login = f.startLogin.start(Optional.of("ada@example.com"), PasskeyFixture.REQUEST);
        Map<String, Object> forged = new java.util.LinkedHashMap<>(registration.publicKey());
        forged.put("challenge", login.challenge());
        String json = new SoftwareAuthenticator().register(forged, Emulation.at(PasskeyFixture.WEB_ORIGIN)).json();

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(ada), login.challengeId(), json, Optional.empty(), PasskeyFixture.REQUEST));

        assertRefusedAndAudited(e, ErrorCode.VALIDATION_ERROR, "challenge_unknown");
    }

    @Test
    void finishWhenCredentialIdAlreadyBelongsToAnotherUserThenConflictAndNothingChanges() {
        User bob = f.user("bob@example.com");
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        SoftwareAuthenticator.Registration registration = new SoftwareAuthenticator().register(options.publicKey(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN));
        Passkey adas = f.finishRegistration.finish(f.caller(ada), options.challengeId(),
                registration.json(), Optional.empty(), PasskeyFixture.REQUEST);
        // Bob's client answers his own fresh challenge with a response naming Ada's credential id: the same
        // credential id (with a valid signature over Bob's challenge) must never become Bob's too.
        PasskeyOptions bobs = f.startRegistration.start(f.caller(bob), PasskeyFixture.REQUEST);
        String forged = sameCredentialFor(bobs, adas, registration);

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(bob), bobs.challengeId(), forged, Optional.empty(), PasskeyFixture.REQUEST));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.reason()).isEqualTo("already_registered");
        assertThat(e.getMessage()).doesNotContain(adas.credentialId()).doesNotContain("ada");
        assertThat(f.passkeys.all()).containsExactly(adas);
        AuditEvent event = f.last("passkey.added");
        assertThat(event.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(event.organizationId()).contains(bob.personalOrganizationId());
        // Issue 20 §1: another user's id is an attack signal, audited with the reason a decoy id gets too.
        assertThat(event.details()).containsEntry("reason", "credential_id_unavailable")
                .containsEntry("signal", "attack");
    }

    /**
     * A registration response for {@code options} that names the credential id of {@code existing}: a second
     * authenticator whose credential id collides (what a malicious or broken authenticator could send).
     */
    private static String sameCredentialFor(PasskeyOptions options, Passkey existing,
            SoftwareAuthenticator.Registration original) {
        SoftwareAuthenticator.Registration fresh = new SoftwareAuthenticator().register(options.publicKey(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN).credential(existing.credentialId()));
        assertThat(fresh.credential().id()).isEqualTo(original.credential().id());
        return fresh.json();
    }

    @Test
    void finishWhenSameUserRegistersTheSameCredentialTwiceThenConflict() {
        PasskeyOptions first = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        SoftwareAuthenticator.Registration registration = new SoftwareAuthenticator().register(first.publicKey(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN));
        Passkey stored = f.finishRegistration.finish(f.caller(ada), first.challengeId(),
                registration.json(), Optional.empty(), PasskeyFixture.REQUEST);
        PasskeyOptions second = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String again = sameCredentialFor(second, stored, registration);

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(ada), second.challengeId(), again, Optional.empty(), PasskeyFixture.REQUEST));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(f.passkeys.all()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{\"type\":\"public-key\"}",
        "{\"id\":\"AAAA\",\"type\":\"public-key\",\"response\":{}}",
        "{\"id\":\"AAAA\",\"rawId\":\"BBBB\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"e30\","
            + "\"attestationObject\":\"oA\"}}",
        "{\"id\":\"AAAA\",\"type\":\"other\",\"response\":{\"clientDataJSON\":\"e30\",\"attestationObject\":\"oA\"}}",
        "{\"id\":\"AA AA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"e30\","
            + "\"attestationObject\":\"oA\"}}",
        "{\"id\":\"AAAA\",\"id\":\"AAAA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"e30\","
            + "\"attestationObject\":\"oA\"}}"})
    void finishWhenResponseIsNotAWebAuthnResponseThenValidationErrorAndChallengeKept(String json) {
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(ada), options.challengeId(), json, Optional.empty(), PasskeyFixture.REQUEST));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.details()).containsEntry("field", "credential");
        assertThat(f.challenges.find(options.challengeId())).isPresent();
    }

    @Test
    void finishWhenAttestationObjectIsGarbageThenRegistrationFailed() {
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String json = "{\"id\":\"AAAA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"e30\","
                + "\"attestationObject\":\"oA\"}}";

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(ada), options.challengeId(), json, Optional.empty(), PasskeyFixture.REQUEST));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.details()).containsEntry("field", "credential");
        assertThat(f.last("passkey.added").outcome()).isEqualTo(Outcome.FAILURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "tab\there",
        "a-very-long-nickname-that-goes-on-and-on-and-on-past-sixty-four-chars"})
    void finishWhenNicknameInvalidThenValidationErrorBeforeAnythingIsSpent(String nickname) {
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String json = new SoftwareAuthenticator().register(options.publicKey(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN)).json();

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(ada), options.challengeId(), json, Optional.of(nickname),
                PasskeyFixture.REQUEST));

        assertThat(e.details()).containsEntry("field", "nickname");
        assertThat(f.challenges.find(options.challengeId())).isPresent();
    }

    @Test
    void failuresNeverNameTheCredentialOrTheEmail() {
        PasskeyException e = failedRegistration(Emulation.at("https://evil.example").type("webauthn.get"));

        assertThat(e.getMessage()).doesNotContain("ada@").doesNotContain("evil");
        assertThat(e.details().toString()).doesNotContain("ada@").doesNotContain("evil");
    }

    @Test
    void finishWhenResponseBytesAreMangledThenAlwaysARefusalNeverAnotherError() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 200; i++) {
            if (i % 10 == 0) {
                f.clock.advance(java.time.Duration.ofHours(1)); // a fresh window of the per-user registration limit
            }
            PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
            String json = new SoftwareAuthenticator().register(options.publicKey(),
                    Emulation.at(PasskeyFixture.WEB_ORIGIN)).json();
            String mangled = Mangler.mangle(json, random, "clientDataJSON", "attestationObject");

            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> f.finishRegistration.finish(
                    f.caller(ada), options.challengeId(), mangled, Optional.empty(),
                    PasskeyFixture.REQUEST));

            if (thrown != null) {
                assertThat(thrown).as("mangled response %s", i).isInstanceOf(PasskeyException.class);
            }
        }
    }
}
