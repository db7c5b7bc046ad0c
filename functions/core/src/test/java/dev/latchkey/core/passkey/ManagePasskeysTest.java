package dev.latchkey.core.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.ErrorCode;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Listing, renaming and deleting one's own passkeys; another user's passkey is 404; the last sign-in method stays. */
class ManagePasskeysTest {

    private final PasskeyFixture f = new PasskeyFixture();
    private final User ada = f.user("ada@example.com");
    private final User bob = f.user("bob@example.com");

    @Test
    void listWhenSeveralThenOnlyTheUsersOwnOldestFirst() {
        Passkey first = f.register(ada, new SoftwareAuthenticator());
        f.clock.advance(Duration.ofSeconds(1));
        Passkey second = f.register(ada, new SoftwareAuthenticator(SoftwareAuthenticator.Algorithm.EDDSA));
        f.register(bob, new SoftwareAuthenticator());

        assertThat(f.manage.list(ada.id())).containsExactly(first, second);
        assertThat(f.manage.list(f.user("carol@example.com").id())).isEmpty();
    }

    @Test
    void renameWhenOwnThenRenamedAndAudited() {
        Passkey passkey = f.register(ada, new SoftwareAuthenticator());

        Passkey renamed = f.manage.rename(ada.id(), passkey.id(), " Work laptop ", PasskeyFixture.REQUEST);

        assertThat(renamed.nickname()).isEqualTo("Work laptop");
        assertThat(f.manage.list(ada.id())).containsExactly(renamed);
        AuditEvent event = f.last("passkey.renamed");
        assertThat(event.organizationId()).contains(ada.personalOrganizationId());
        assertThat(event.target().orElseThrow().id()).isEqualTo(passkey.id());
        assertThat(event.toString()).doesNotContain("Work laptop");
    }

    @Test
    void renameWhenAnotherUsersPasskeyThenNotFoundAndUnchanged() {
        Passkey bobs = f.register(bob, new SoftwareAuthenticator());

        PasskeyException e = catchThrowableOfType(PasskeyException.class,
                () -> f.manage.rename(ada.id(), bobs.id(), "mine now", PasskeyFixture.REQUEST));

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(f.manage.list(bob.id())).containsExactly(bobs);
        assertThat(f.audit.events("passkey.renamed")).isEmpty();
    }

    @Test
    void renameWhenNicknameInvalidThenValidationError() {
        Passkey passkey = f.register(ada, new SoftwareAuthenticator());

        PasskeyException e = catchThrowableOfType(PasskeyException.class,
                () -> f.manage.rename(ada.id(), passkey.id(), " ", PasskeyFixture.REQUEST));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
    }

    @Test
    void deleteWhenOwnThenPasskeyAndLookupGoneAndAudited() {
        Passkey passkey = f.register(ada, new SoftwareAuthenticator());

        f.manage.delete(ada.id(), passkey.id(), PasskeyFixture.REQUEST);

        assertThat(f.manage.list(ada.id())).isEmpty();
        assertThat(f.passkeys.findByCredentialId(passkey.credentialId())).isEmpty();
        AuditEvent event = f.last("passkey.removed");
        assertThat(event.organizationId()).contains(ada.personalOrganizationId());
        assertThat(event.target().orElseThrow().id()).isEqualTo(passkey.id());
        assertThat(event.details()).containsEntry("remaining", "0");
    }

    @Test
    void deleteWhenAnotherUsersPasskeyOrUnknownIdThenNotFound() {
        Passkey bobs = f.register(bob, new SoftwareAuthenticator());

        for (String id : new String[] {bobs.id(), "pk_00000000000000000000000000", "nope", null}) {
            PasskeyException e = catchThrowableOfType(PasskeyException.class,
                    () -> f.manage.delete(ada.id(), id, PasskeyFixture.REQUEST));
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e.getMessage()).doesNotContain(bob.id());
        }
        assertThat(f.manage.list(bob.id())).containsExactly(bobs);
        assertThat(f.audit.events("passkey.removed")).isEmpty();
    }

    @Test
    void deleteWhenLastPasskeyOfAnAccountWithoutPasswordThenConflict() {
        User carol = f.passkeyOnlyUser("carol@example.com");
        Passkey only = f.register(carol, new SoftwareAuthenticator());

        PasskeyException e = catchThrowableOfType(PasskeyException.class,
                () -> f.manage.delete(carol.id(), only.id(), PasskeyFixture.REQUEST));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.details()).containsEntry("reason", "LAST_SIGN_IN_METHOD");
        assertThat(f.manage.list(carol.id())).containsExactly(only);
    }

    @Test
    void deleteWhenAnotherPasskeyRemainsOnAnAccountWithoutPasswordThenDeleted() {
        User carol = f.passkeyOnlyUser("carol@example.com");
        Passkey first = f.register(carol, new SoftwareAuthenticator());
        Passkey second = f.register(carol, new SoftwareAuthenticator());

        f.manage.delete(carol.id(), first.id(), PasskeyFixture.REQUEST);

        assertThat(f.manage.list(carol.id())).containsExactly(second);
    }

    @Test
    void deleteWhenLastPasskeyButPasswordSetThenDeleted() {
        Passkey only = f.register(ada, new SoftwareAuthenticator());

        f.manage.delete(ada.id(), only.id(), PasskeyFixture.REQUEST);

        assertThat(f.manage.list(ada.id())).isEmpty();
    }

    @Test
    void deletedPasskeyCanBeRegisteredAgain() {
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        Passkey passkey = f.register(ada, key);
        f.manage.delete(ada.id(), passkey.id(), PasskeyFixture.REQUEST);

        PasskeyOptions options = f.startRegistration.start(f.caller(ada), PasskeyFixture.REQUEST);
        String json = key.register(options.publicKey(),
                SoftwareAuthenticator.Emulation.at(PasskeyFixture.WEB_ORIGIN).credential(passkey.credentialId()))
                .json();

        assertThat(f.finishRegistration.finish(f.caller(ada), options.challengeId(), json,
                Optional.empty(), PasskeyFixture.REQUEST).credentialId()).isEqualTo(passkey.credentialId());
    }
}
