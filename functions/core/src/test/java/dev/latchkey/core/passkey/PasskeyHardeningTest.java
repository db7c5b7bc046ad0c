package dev.latchkey.core.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.authenticator.Curve;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.authenticator.RSACOSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.passkey.SoftwareAuthenticator.Algorithm;
import dev.latchkey.core.passkey.SoftwareAuthenticator.Emulation;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.principal.StepUpRequiredException;
import dev.latchkey.core.ratelimit.RateLimitedException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 20: the passkey attacks a black-box probe found, each with hand-built WebAuthn responses (a
 * {@link SoftwareAuthenticator} told to forge one thing): the registration account oracle and its limits (§1),
 * recent authentication and the notice for a new passkey (§3), keys inconsistent with their algorithm (§5) and the
 * exact origin and duplicate members of {@code clientDataJSON} (§6). Each case is a line in docs/security.md.
 */
class PasskeyHardeningTest {

    private final PasskeyFixture f = new PasskeyFixture();
    private final User ada = f.user("ada@example.com");

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    private static KeyPair keyPair(String algorithm, Object parameter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (parameter instanceof Integer bits) {
                generator.initialize(bits);
            } else {
                generator.initialize((ECGenParameterSpec) parameter);
            }
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECPublicKey p256() {
        return (ECPublicKey) keyPair("EC", new ECGenParameterSpec("secp256r1")).getPublic();
    }

    /** Registers for {@code user} with {@code emulation}, from {@code request}; the failure, or null. */
    private PasskeyException register(User user, SoftwareAuthenticator authenticator, Emulation emulation,
            RequestOrigin request) {
        PasskeyOptions options = f.startRegistration.start(f.caller(user), request);
        String json = authenticator.register(options.publicKey(), emulation).json();
        return catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(f.caller(user),
                options.challengeId(), json, Optional.empty(), request));
    }

    private PasskeyException register(Emulation emulation) {
        return register(ada, new SoftwareAuthenticator(), emulation, PasskeyFixture.REQUEST);
    }

    private void assertRegistrationRefused(PasskeyException e, String reason) {
        assertThat(e).as("refused with %s", reason).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.details()).containsEntry("field", "credential")
                .containsEntry("reason", reason.toUpperCase(java.util.Locale.ROOT));
        assertThat(f.passkeys.all()).as("nothing stored").isEmpty();
        AuditEvent event = f.last("passkey.added");
        assertThat(event.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(event.details()).containsEntry("reason", reason);
    }

    // §1 Account oracle through registration.

    @Test
    @DisplayName("Issue 20 §1: registering under another user's credential id and under a decoy id answer alike")
    void finishWhenCredentialIdIsAnotherUsersOrADecoyThenTheSameRefusalAndAnAttackSignal() {
        User bob = f.user("bob@example.com");
        SoftwareAuthenticator bobsKey = new SoftwareAuthenticator();
        f.register(bob, bobsKey);
        Passkey bobs = f.passkeys.all().get(0);
        // What login/options {email} shows an attacker: Bob's real ids, and a decoy for an address without passkeys.
        String real = (String) list(f.startLogin.start(Optional.of("bob@example.com"), PasskeyFixture.REQUEST)
                .publicKey().get("allowCredentials")).get(0).get("id");
        String decoy = (String) list(f.startLogin.start(Optional.of("nobody@example.com"), PasskeyFixture.REQUEST)
                .publicKey().get("allowCredentials")).get(0).get("id");
        assertThat(real).isEqualTo(bobs.credentialId());
        assertThat(new DecoyCredentials(f.peppers).isDecoy(decoy)).isTrue();
        assertThat(new DecoyCredentials(f.peppers).isDecoy(real)).isFalse();

        PasskeyException underReal = register(Emulation.at(PasskeyFixture.WEB_ORIGIN).credential(real));
        AuditEvent realEvent = f.last("passkey.added");
        PasskeyException underDecoy = register(Emulation.at(PasskeyFixture.WEB_ORIGIN).credential(decoy));
        AuditEvent decoyEvent = f.last("passkey.added");

        for (PasskeyException e : List.of(underReal, underDecoy)) {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.details()).isEqualTo(Map.of("reason", "PASSKEY_EXISTS"));
        }
        assertThat(underDecoy.getMessage()).isEqualTo(underReal.getMessage());
        assertThat(underDecoy.headers()).isEqualTo(underReal.headers());
        assertThat(f.passkeys.all()).containsExactly(bobs);
        for (AuditEvent event : List.of(realEvent, decoyEvent)) {
            assertThat(event.outcome()).isEqualTo(Outcome.FAILURE);
            assertThat(event.organizationId()).contains(ada.personalOrganizationId());
            assertThat(event.details()).isEqualTo(Map.of("reason", "credential_id_unavailable", "signal", "attack"));
        }
    }

    @Test
    @DisplayName("Issue 20 §1: a user gets at most 10 registration attempts an hour (429), then a new window")
    void finishWhenUserOverRegistrationLimitThenRateLimited() {
        for (int i = 0; i < PasskeyRegistrationLimits.DEFAULT_PER_USER.limit(); i++) {
            assertThat(unknownChallenge(ada, PasskeyFixture.REQUEST)).isInstanceOf(PasskeyException.class);
        }

        assertThat(unknownChallenge(ada, PasskeyFixture.REQUEST)).isInstanceOf(RateLimitedException.class);

        f.clock.advance(Duration.ofHours(1));
        assertThat(f.register(ada, new SoftwareAuthenticator())).isNotNull();
    }

    @Test
    @DisplayName("Issue 20 §1: one source IP gets at most 30 registration attempts an hour across users (429)")
    void finishWhenIpOverRegistrationLimitThenRateLimited() {
        RequestOrigin ip = RequestOrigin.of("198.51.100.7", "req-ip");
        int limit = PasskeyRegistrationLimits.DEFAULT_PER_IP.limit();
        List<User> users = List.of(f.user("u1@example.com"), f.user("u2@example.com"), f.user("u3@example.com"));
        for (int i = 0; i < limit; i++) {
            assertThat(unknownChallenge(users.get(i % users.size()), ip)).isInstanceOf(PasskeyException.class);
        }

        assertThat(unknownChallenge(f.user("fresh@example.com"), ip)).isInstanceOf(RateLimitedException.class);
        assertThat(unknownChallenge(ada, PasskeyFixture.REQUEST)).as("another IP")
                .isInstanceOf(PasskeyException.class);
    }

    /** A verify call with a well-formed challenge id that was never issued: a refusal that still counts. */
    private RuntimeException unknownChallenge(User user, RequestOrigin request) {
        PasskeyOptions options = f.startRegistration.start(f.caller(user), request);
        String json = new SoftwareAuthenticator().register(options.publicKey(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN)).json();
        return catchThrowableOfType(RuntimeException.class, () -> f.finishRegistration.finish(f.caller(user),
                PasskeyChallenge.newId(f.random), json, Optional.empty(), request));
    }

    // §3 Planting a passkey with a stolen live session.

    @Test
    @DisplayName("Issue 20 §3: a token authenticated over 5 minutes ago can neither start nor finish adding a passkey")
    void registerWhenAuthenticationOlderThanWindowThenStepUpRequired() {
        User stale = ada;
        StepUpRequiredException atOptions = catchThrowableOfType(StepUpRequiredException.class,
                () -> f.startRegistration.start(PasskeyFixture.callerAuthenticatedAt(stale,
                        f.clock.instant().minus(Duration.ofMinutes(5)).minusSeconds(1)), PasskeyFixture.REQUEST));
        assertThat(atOptions.maxAgeSeconds()).isEqualTo(300);
        assertThat(atOptions.code().status()).isEqualTo(401);
        assertThat(atOptions.headers().get("www-authenticate"))
                .startsWith("Bearer error=\"insufficient_user_authentication\"").endsWith("max_age=\"300\"");

        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String json = new SoftwareAuthenticator().register(options.publicKey(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN)).json();
        f.clock.advance(Duration.ofMinutes(4));
        Supplier<Passkey> finish = () -> f.finishRegistration.finish(PasskeyFixture.callerAuthenticatedAt(ada,
                f.clock.instant().minus(Duration.ofMinutes(6))), options.challengeId(), json, Optional.empty(),
                PasskeyFixture.REQUEST);
        assertThat(catchThrowableOfType(StepUpRequiredException.class, finish::get)).isNotNull();
        assertThat(f.passkeys.all()).isEmpty();
        assertThat(f.mailer.sent()).isEmpty();

        // Signed in again: the same challenge still works (the step-up refusal spent nothing).
        assertThat(f.finishRegistration.finish(f.caller(ada), options.challengeId(), json, Optional.empty(),
                PasskeyFixture.REQUEST)).isNotNull();
    }

    @Test
    @DisplayName("Issue 20 §3: every new passkey is mailed to the account's address with a link to review them")
    void finishWhenPasskeyAddedThenUserIsMailed() {
        Passkey added = f.register(ada, new SoftwareAuthenticator());

        MailMessage mail = f.mailer.latest(FinishPasskeyRegistration.MAIL_PURPOSE).orElseThrow();
        assertThat(mail.to()).isEqualTo(ada.email().mailbox());
        assertThat(mail.text()).contains(added.nickname()).contains(PasskeyFixture.REVIEW_URL.toString())
                .contains(PasskeyFixture.REQUEST.sourceIp().orElseThrow()).doesNotContain(added.credentialId())
                .contains("\"remove_passkeys_added_since\": \"" + added.createdAt() + "\"");
    }

    @Test
    @DisplayName("Issue 20 §3: a mail transport failure does not undo the new passkey")
    void finishWhenMailFailsThenPasskeyStillAdded() {
        f.mailer.failWith(dev.latchkey.core.mail.MailException.unavailable(new java.io.IOException("down")));

        Passkey added = f.register(ada, new SoftwareAuthenticator());

        assertThat(f.passkeys.all()).containsExactly(added);
    }

    // §5 Weak or inconsistent public keys.

    @Test
    @DisplayName("Issue 20 §5: an RSA key labelled ES256, EC keys labelled RS256 or EdDSA are KEY_TYPE_MISMATCH")
    void finishWhenKeyTypeDoesNotMatchAlgorithmThenRefused() {
        RSAPublicKey rsa = (RSAPublicKey) keyPair("RSA", 2048).getPublic();
        List<COSEKey> keys = List.of(RSACOSEKey.create(rsa, COSEAlgorithmIdentifier.ES256),
                EC2COSEKey.create(p256(), COSEAlgorithmIdentifier.RS256),
                EC2COSEKey.create(p256(), COSEAlgorithmIdentifier.EdDSA));
        for (COSEKey key : keys) {
            assertRegistrationRefused(register(Emulation.at(PasskeyFixture.WEB_ORIGIN).coseKey(key)),
                    "key_type_mismatch");
        }
    }

    @Test
    @DisplayName("Issue 20 §5: a P-384 key labelled ES256 is KEY_CURVE_MISMATCH")
    void finishWhenEs256KeyIsOnP384ThenRefused() {
        ECPublicKey p384 = (ECPublicKey) keyPair("EC", new ECGenParameterSpec("secp384r1")).getPublic();

        assertRegistrationRefused(register(Emulation.at(PasskeyFixture.WEB_ORIGIN)
                .coseKey(EC2COSEKey.create(p384, COSEAlgorithmIdentifier.ES256))), "key_curve_mismatch");
    }

    @Test
    @DisplayName("Issue 20 §5: a P-256 point off the curve is KEY_NOT_ON_CURVE")
    void finishWhenPointNotOnCurveThenRefused() {
        EC2COSEKey sound = EC2COSEKey.create(p256(), COSEAlgorithmIdentifier.ES256);
        byte[] y = sound.getY().clone();
        y[y.length - 1] ^= 1;

        assertRegistrationRefused(register(Emulation.at(PasskeyFixture.WEB_ORIGIN).coseKey(new EC2COSEKey(null,
                COSEAlgorithmIdentifier.ES256, null, Curve.SECP256R1, sound.getX(), y))), "key_not_on_curve");
    }

    @Test
    @DisplayName("Issue 20 §5: P-256 coordinates of other than 32 bytes are KEY_COORDINATE_SIZE")
    void finishWhenCoordinatesShortThenRefused() {
        EC2COSEKey sound = EC2COSEKey.create(p256(), COSEAlgorithmIdentifier.ES256);
        byte[] shortX = Arrays.copyOfRange(sound.getX(), 1, 32);

        assertRegistrationRefused(register(Emulation.at(PasskeyFixture.WEB_ORIGIN).coseKey(new EC2COSEKey(null,
                COSEAlgorithmIdentifier.ES256, null, Curve.SECP256R1, shortX, sound.getY()))), "key_coordinate_size");
    }

    @Test
    @DisplayName("Issue 20 §5: a 512-bit RSA key is KEY_TOO_WEAK, and one stored before the check no longer logs in")
    void finishWhenRsaKeyUnder2048BitsThenRefusedAndStoredOneCannotLogIn() {
        KeyPair weak = keyPair("RSA", 512);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(Algorithm.RS256);

        assertRegistrationRefused(register(ada, authenticator, Emulation.at(PasskeyFixture.WEB_ORIGIN).keyPair(weak),
                PasskeyFixture.REQUEST), "key_too_weak");

        // As if registered before keys were checked: stored with its 512-bit key.
        SoftwareAuthenticator.Credential held = authenticator.credentials().get(0);
        String cose = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new com.webauthn4j.converter.util.ObjectConverter().getCborConverter().writeValueAsBytes(
                        RSACOSEKey.create((RSAPublicKey) weak.getPublic(), COSEAlgorithmIdentifier.RS256)));
        String handle = f.passkeys.userHandle(ada.id(), held.userHandle());
        Passkey legacy = new Passkey(f.ids.next(dev.latchkey.core.id.IdPrefix.PASSKEY), ada.id(), held.id(), handle,
                cose, -257, 0, true, false, false, List.of("usb"), "00000000-0000-0000-0000-000000000000", "old key",
                f.clock.instant(), Optional.empty());
        f.passkeys.add(legacy, dev.latchkey.core.audit.AuditEvent.builder(f.ids, f.clock)
                .organizationId(ada.personalOrganizationId()).actor(dev.latchkey.core.audit.Actor.user(ada.id()))
                .action("passkey.added").requestId("req-0").build());

        PasskeyException login = catchThrowableOfType(PasskeyException.class, () -> f.login(authenticator));

        assertThat(login.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(f.last("auth.passkey.failed").details()).containsEntry("reason", "key_too_weak");
    }

    // §6 Origin comparison.

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example@id.example.com", "https://id.example.com/",
        "https://id.example.com/path", "https://id.example.com?q=1", "https://id.example.com#f",
        "https://ID.example.com", "HTTPS://id.example.com", "https://id.example.com:443", "https://id.example.com:0443",
        "https://id.example.com."})
    @DisplayName("Issue 20 §6: an origin that only parses to an allowed one is refused at registration and login")
    void ceremonyWhenOriginIsNotExactlyAnAllowedOneThenRefused(String origin) {
        assertRegistrationRefused(register(Emulation.at(origin)), "origin_mismatch");

        SoftwareAuthenticator key = new SoftwareAuthenticator();
        f.register(ada, key);
        PasskeyException login = catchThrowableOfType(PasskeyException.class,
                () -> f.login(key, Optional.empty(), Emulation.at(origin)));
        assertThat(login.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(f.last("auth.passkey.failed").details()).containsEntry("reason", "origin_mismatch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"origin", "type", "challenge"})
    @DisplayName("Issue 20 §6: clientDataJSON with a member twice is refused, whichever value comes last")
    void ceremonyWhenClientDataHasADuplicateMemberThenRefused(String member) {
        Emulation duplicate = Emulation.at(PasskeyFixture.WEB_ORIGIN)
                .clientDataText(text -> text.replace("{", "{\"" + member + "\":\"x\","));

        assertRegistrationRefused(register(duplicate), "client_data_duplicate_member");

        SoftwareAuthenticator key = new SoftwareAuthenticator();
        f.register(ada, key);
        assertThat(catchThrowableOfType(PasskeyException.class,
                () -> f.login(key, Optional.empty(), duplicate.copy())).code())
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(f.last("auth.passkey.failed").details()).containsEntry("reason", "client_data_duplicate_member");
    }

    // §4 Cloned authenticators.

    @Test
    @DisplayName("Issue 20 §4: a counter not going up marks the passkey suspected-cloned: listed, audited, mailed")
    void loginWhenCounterRegressesThenSuspectedCloneListedAuditedMailedAndRefused() {
        SoftwareAuthenticator genuine = new SoftwareAuthenticator();
        Passkey added = f.register(ada, genuine);
        f.login(genuine); // counter 1

        PasskeyException regressed = catchThrowableOfType(PasskeyException.class, () -> f.login(genuine,
                Optional.empty(), Emulation.at(PasskeyFixture.WEB_ORIGIN).signCount(1)));

        assertThat(regressed.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(f.last("auth.passkey.failed").details()).containsEntry("reason", "counter_regression");
        Passkey listed = f.manage.list(ada.id()).get(0);
        assertThat(listed.suspectedClone()).isTrue();
        assertThat(listed.suspectedCloneAt()).contains(f.clock.instant());
        AuditEvent marked = f.last("passkey.suspected_clone");
        assertThat(marked.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(marked.organizationId()).contains(ada.personalOrganizationId());
        MailMessage mail = f.mailer.latest(FinishPasskeyLogin.MAIL_PURPOSE).orElseThrow();
        assertThat(mail.to()).isEqualTo(ada.email().mailbox());
        assertThat(mail.text()).contains(added.nickname()).contains(PasskeyFixture.REVIEW_URL.toString());

        // Even a correct, higher counter is refused now, until the owner confirms or removes the passkey.
        assertThat(catchThrowableOfType(PasskeyException.class, () -> f.login(genuine,
                Optional.empty(), Emulation.at(PasskeyFixture.WEB_ORIGIN).signCount(50))).code())
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(f.last("auth.passkey.failed").details()).containsEntry("reason", "suspected_clone");
    }

    @Test
    @DisplayName("Issue 20 §4: a clone that jumps the counter to 2^32-1 no longer locks the genuine key out for good")
    void loginWhenCloneMaxedTheCounterThenOwnerConfirmsAndGenuineWorksAgain() {
        SoftwareAuthenticator genuine = new SoftwareAuthenticator();
        Passkey added = f.register(ada, genuine);
        f.login(genuine);
        // The clone (same key) logs in once with the largest counter there is.
        assertThat(f.login(genuine, Optional.empty(), Emulation.at(PasskeyFixture.WEB_ORIGIN)
                .signCount(0xFFFF_FFFFL))).isNotNull();
        assertThat(catchThrowableOfType(PasskeyException.class, () -> f.login(genuine, Optional.empty(),
                Emulation.at(PasskeyFixture.WEB_ORIGIN).signCount(3)))).isNotNull();
        assertThat(f.manage.list(ada.id()).get(0).suspectedClone()).isTrue();

        // Confirming needs recent authentication, like adding a passkey.
        assertThat(catchThrowableOfType(StepUpRequiredException.class, () -> f.manage.confirmNotCloned(
                PasskeyFixture.callerAuthenticatedAt(ada, f.clock.instant().minus(Duration.ofHours(1))), added.id(),
                PasskeyFixture.REQUEST))).isNotNull();
        Passkey confirmed = f.manage.confirmNotCloned(f.caller(ada), added.id(), PasskeyFixture.REQUEST);

        assertThat(confirmed.suspectedClone()).isFalse();
        assertThat(confirmed.signCount()).isZero();
        assertThat(f.last("passkey.clone_confirmed").outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(f.login(genuine, Optional.empty(), Emulation.at(PasskeyFixture.WEB_ORIGIN).signCount(4)))
                .isNotNull();
        assertThat(f.manage.list(ada.id()).get(0).signCount()).isEqualTo(4);
    }
}
