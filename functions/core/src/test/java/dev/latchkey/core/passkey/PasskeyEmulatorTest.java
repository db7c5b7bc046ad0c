package dev.latchkey.core.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.AuthenticatorSelectionCriteria;
import com.webauthn4j.data.PublicKeyCredentialCreationOptions;
import com.webauthn4j.data.PublicKeyCredentialRequestOptions;
import com.webauthn4j.data.ResidentKeyRequirement;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.ClientDataType;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.test.authenticator.webauthn.NoneAttestationAuthenticator;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnAuthenticatorAdaptor;
import com.webauthn4j.test.authenticator.webauthn.exception.InvalidStateException;
import com.webauthn4j.test.client.ClientPlatform;
import com.webauthn4j.test.client.RegistrationEmulationOption;
import dev.latchkey.core.account.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.session.TokenResponse;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The ceremonies against webauthn4j-test's authenticator emulator ({@link ClientPlatform} with a
 * {@link NoneAttestationAuthenticator}): the options Latchkey writes are read by webauthn4j's own JSON model (so
 * a second implementation understands them), the emulator answers, and the use cases verify. The emulator makes
 * ES256 credentials only; EdDSA and RS256 are covered by {@link SoftwareAuthenticator}.
 */
class PasskeyEmulatorTest {

    private static final ObjectConverter CONVERTER = new ObjectConverter();

    private final PasskeyFixture f = new PasskeyFixture();
    private final User ada = f.user("ada@example.com");
    private final ClientPlatform browser = new ClientPlatform(new Origin(PasskeyFixture.WEB_ORIGIN),
            new WebAuthnAuthenticatorAdaptor(new NoneAttestationAuthenticator()));

    private static <T> T read(Map<String, Object> publicKey, Class<T> type) {
        return CONVERTER.getJsonMapper().readValue(Json.write(publicKey), type);
    }

    private static String json(Object credential) {
        return CONVERTER.getJsonMapper().writeValueAsString(credential);
    }

    /** Creation options as webauthn4j reads them, asking for a discoverable credential like a platform does. */
    private static PublicKeyCredentialCreationOptions discoverable(PasskeyOptions options) {
        PublicKeyCredentialCreationOptions read = read(options.publicKey(), PublicKeyCredentialCreationOptions.class);
        return new PublicKeyCredentialCreationOptions(read.getRp(), read.getUser(), read.getChallenge(),
                read.getPubKeyCredParams(), read.getTimeout(), read.getExcludeCredentials(),
                new AuthenticatorSelectionCriteria(null, true, ResidentKeyRequirement.REQUIRED,
                        read.getAuthenticatorSelection().getUserVerification()),
                read.getHints(), read.getAttestation(), read.getExtensions());
    }

    private Passkey registerWithTheEmulator() {
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String response = json(browser.create(discoverable(options)));
        return f.finishRegistration.finish(f.caller(ada), options.challengeId(), response,
                Optional.of("Emulated key"), PasskeyFixture.REQUEST);
    }

    @Test
    void optionsWhenReadByWebAuthn4jThenTheSameValues() {
        f.register(ada, new SoftwareAuthenticator());
        PasskeyOptions creation = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        PasskeyOptions request = f.startLogin.start(Optional.of("ada@example.com"), PasskeyFixture.REQUEST);

        PublicKeyCredentialCreationOptions created = read(creation.publicKey(),
                PublicKeyCredentialCreationOptions.class);
        assertThat(created.getRp().getId()).isEqualTo(PasskeyFixture.RP_ID);
        assertThat(created.getUser().getId()).isEqualTo(Base64.getUrlDecoder().decode(
                f.passkeys.handle(ada.id()).orElseThrow()));
        assertThat(created.getChallenge()).isEqualTo(new DefaultChallenge(creation.challenge()));
        assertThat(created.getPubKeyCredParams()).extracting(p -> p.getAlg())
                .containsExactly(COSEAlgorithmIdentifier.ES256, COSEAlgorithmIdentifier.EdDSA,
                        COSEAlgorithmIdentifier.RS256);
        assertThat(created.getExcludeCredentials()).hasSize(1);
        assertThat(created.getAuthenticatorSelection().getResidentKey()).isEqualTo(ResidentKeyRequirement.PREFERRED);
        assertThat(created.getTimeout()).isEqualTo(300_000L);
        PublicKeyCredentialRequestOptions requested = read(request.publicKey(),
                PublicKeyCredentialRequestOptions.class);
        assertThat(requested.getRpId()).isEqualTo(PasskeyFixture.RP_ID);
        assertThat(requested.getAllowCredentials()).hasSize(1);
        assertThat(requested.getChallenge()).isEqualTo(new DefaultChallenge(request.challenge()));
    }

    @Test
    void registerAndLogInUsernamelessWithTheEmulator() {
        Passkey passkey = registerWithTheEmulator();
        assertThat(passkey.algorithm()).isEqualTo(-7);
        assertThat(passkey.nickname()).isEqualTo("Emulated key");

        PasskeyOptions options = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
        String response = json(browser.get(read(options.publicKey(), PublicKeyCredentialRequestOptions.class)));
        TokenResponse tokens = f.finishLogin.finish(options.challengeId(), response, PasskeyFixture.REQUEST);

        assertThat(tokens.user().id()).isEqualTo(ada.id());
        assertThat(f.sessions.session(tokens.sessionId()).amr()).containsExactly("hwk", "user", "mfa");
        assertThat(f.passkeys.findByCredentialId(passkey.credentialId()).orElseThrow().signCount())
                .isGreaterThan(passkey.signCount());
    }

    @Test
    void registerWhenTheEmulatorHoldsAnExcludedCredentialThenItRefuses() {
        registerWithTheEmulator();
        PasskeyOptions again = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);

        assertThatThrownBy(() -> browser.create(discoverable(again))).isInstanceOf(InvalidStateException.class);
    }

    @Test
    void registerWhenTheBrowserIsOnAnotherOriginThenRefused() {
        ClientPlatform evil = new ClientPlatform(new Origin("https://evil.example"),
                new WebAuthnAuthenticatorAdaptor(new NoneAttestationAuthenticator()));
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String response = json(evil.create(discoverable(options)));

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(ada), options.challengeId(), response, Optional.empty(), PasskeyFixture.REQUEST));

        assertThat(e.reason()).isEqualTo("origin_mismatch");
        assertThat(f.last("passkey.added").details()).containsEntry("reason", "origin_mismatch");
    }

    @Test
    void registerWhenClientDataSaysGetThenRefused() {
        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        PublicKeyCredentialCreationOptions read = discoverable(options);
        RegistrationEmulationOption forged = new RegistrationEmulationOption();
        forged.setCollectedClientDataOverrideEnabled(true);
        forged.setCollectedClientData(browser.createCollectedClientData(ClientDataType.WEBAUTHN_GET,
                read.getChallenge()));
        String response = json(browser.create(read, forged));

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishRegistration.finish(
                f.caller(ada), options.challengeId(), response, Optional.empty(), PasskeyFixture.REQUEST));

        assertThat(e.reason()).isEqualTo("type_mismatch");
    }

    @Test
    void loginWhenClientDataSaysCreateThenRejected() {
        registerWithTheEmulator();
        PasskeyOptions options = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
        PublicKeyCredentialRequestOptions read = read(options.publicKey(), PublicKeyCredentialRequestOptions.class);
        String response = json(browser.get(read, browser.createCollectedClientData(ClientDataType.WEBAUTHN_CREATE,
                read.getChallenge())));

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> f.finishLogin.finish(
                options.challengeId(), response, PasskeyFixture.REQUEST));

        assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(f.last("auth.passkey.failed").details()).containsEntry("reason", "type_mismatch");
    }

    @Test
    void loginWhenClientDataCarriesAnotherChallengeThenRejected() {
        registerWithTheEmulator();
        PasskeyOptions options = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
        PublicKeyCredentialRequestOptions read = read(options.publicKey(), PublicKeyCredentialRequestOptions.class);
        String response = json(browser.get(read, browser.createCollectedClientData(ClientDataType.WEBAUTHN_GET,
                new DefaultChallenge(PasskeyChallenge.newChallenge(f.random)))));

        catchThrowableOfType(PasskeyException.class, () -> f.finishLogin.finish(options.challengeId(), response,
                PasskeyFixture.REQUEST));

        assertThat(f.last("auth.passkey.failed").details()).containsEntry("reason", "challenge_mismatch");
    }

    @Test
    void loginWhenTheBrowserIsOnAnotherOriginThenRejected() {
        registerWithTheEmulator();
        PasskeyOptions options = f.startLogin.start(Optional.empty(), PasskeyFixture.REQUEST);
        browser.setOrigin(new Origin("https://id.example.com:8443"));
        String response = json(browser.get(read(options.publicKey(), PublicKeyCredentialRequestOptions.class)));

        catchThrowableOfType(PasskeyException.class, () -> f.finishLogin.finish(options.challengeId(), response,
                PasskeyFixture.REQUEST));

        assertThat(f.last("auth.passkey.failed").details()).containsEntry("reason", "origin_mismatch");
    }
}
