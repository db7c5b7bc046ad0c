package dev.latchkey.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.error.ErrorCode;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RegisterUserCommandTest {

    private static AccountException refused(String email, String password, String name) {
        AccountException e = catchThrowableOfType(AccountException.class,
                () -> RegisterUserCommand.of(email, password, name));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        return e;
    }

    @Test
    void ofWhenNameHasSurroundingSpaceAndDecomposedLettersThenNfcTrimmed() {
        RegisterUserCommand command = RegisterUserCommand.of("ada@example.com", "pw", "  Zoe\u0308 Lovelace\t");

        assertThat(command.name()).isEqualTo("Zo\u00eb Lovelace");
    }

    @Test
    void ofWhenNameIsHundredCodePointsThenAcceptedAndHundredOneRefused() {
        String emoji = "\uD83D\uDE00";
        assertThat(RegisterUserCommand.of("ada@example.com", "pw", emoji.repeat(100)).name()).hasSize(200);

        AccountException e = refused("ada@example.com", "pw", emoji.repeat(101));
        assertThat(e.reason()).isEqualTo(AccountException.Reason.INVALID_NAME);
        assertThat(e.details()).containsEntry("field", "name").containsEntry("max_length", 100);
    }

    @Test
    void ofWhenNameBlankOrHasControlCharactersThenInvalidName() {
        for (String name : new String[] {"", "   ", "Ada\nLovelace", "Ada\u0000", "Ada\u2028Lovelace", "Ada\uD800"}) {
            assertThat(refused("ada@example.com", "pw", name).reason()).as(name).isEqualTo(
                    AccountException.Reason.INVALID_NAME);
        }
    }

    @Test
    void ofWhenFieldMissingThenRequiredNamingTheField() {
        assertThat(refused(null, "pw", "Ada").details()).containsEntry("field", "email");
        assertThat(refused("ada@example.com", null, "Ada").details()).containsEntry("field", "password")
                .containsEntry("reason", "REQUIRED");
        assertThat(refused("ada@example.com", "pw", null).details()).containsEntry("field", "name");
    }

    @Test
    @DisplayName("An invalid email answers INVALID_EMAIL without echoing it")
    void ofWhenEmailInvalidThenInvalidEmailWithoutTheInput() {
        AccountException e = refused("not-an-address", "pw", "Ada");

        assertThat(e.reason()).isEqualTo(AccountException.Reason.INVALID_EMAIL);
        assertThat(e.getMessage()).doesNotContain("not-an-address");
    }

    @Test
    @DisplayName("[16.2.5] toString of the command and the user holds no password, hash, name or full email")
    void toStringWhenPrintedThenRedacted() {
        RegisterUserCommand command = RegisterUserCommand.of("ada.lovelace@example.com", "s3cret passphrase!!",
                "Ada Lovelace");
        User user = new User("usr_01J0000000000000000000000A", command.email(), command.name(),
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", false, Instant.EPOCH,
                "org_01J0000000000000000000000A");

        assertThat(command.toString()).doesNotContain("s3cret", "Lovelace", "ada.lovelace@");
        assertThat(user.toString()).doesNotContain("argon2", "aGFzaA", "Lovelace", "ada.lovelace@")
                .contains("usr_01J0000000000000000000000A");
        assertThat(VerificationToken.generate(new java.security.SecureRandom()).toString()).doesNotContain("lkv_");
    }
}
