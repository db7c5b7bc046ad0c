package dev.latchkey.infrastructure.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.error.ErrorCode;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The core policy with the real estimator and hasher: what registration and login will run. */
class PasswordPolicyNbvcxzTest {

    private static final NbvcxzPasswordStrength STRENGTH = new NbvcxzPasswordStrength();

    private final PasswordPolicy policy = new PasswordPolicy(STRENGTH);

    private AccountException rejected(String password, List<String> context) {
        AccountException e = catchThrowableOfType(AccountException.class, () -> policy.accept(password, context));
        assertThat(e).as("expected rejection").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).doesNotContain(password);
        assertThat(e.details().values()).allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(password));
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"password1234", "qwertyuiop123"})
    @DisplayName("[6.2.4] Common passwords are TOO_COMMON with the estimator's hint")
    void acceptWhenCommonPasswordThenTooCommonWithHint(String password) {
        AccountException e = rejected(password, List.of());

        assertThat(e.reason()).isEqualTo(AccountException.Reason.TOO_COMMON);
        assertThat(e.details()).containsEntry("reason", "TOO_COMMON").containsEntry("min_length", 12)
                .containsKey("hint");
        assertThat((String) e.details().get("hint")).matches("This is a top-\\d+ common password\\.");
    }

    @Test
    @DisplayName("[6.2.4] The email's local part and the name make AdaLovelace1815! TOO_COMMON for ada@…")
    void acceptWhenPasswordFromEmailAndNameThenTooCommon() {
        EmailAddress email = EmailAddress.parse("ada@example.com");
        List<String> context = PasswordPolicy.contextWords(email, List.of("Ada Lovelace"));

        AccountException e = rejected("AdaLovelace1815!", context);

        assertThat(e.reason()).isEqualTo(AccountException.Reason.TOO_COMMON);
        assertThat(e.details()).containsEntry("hint", NbvcxzPasswordStrength.CONTEXT_HINT);
        assertThat(policy.accept("AdaLovelace1815!", List.of())).isEqualTo("AdaLovelace1815!");
    }

    @Test
    @DisplayName("[6.2.1] [6.2.8] Register then log in: accept → hash; normalize → verify, full-width equals ASCII")
    void acceptThenHashThenNormalizeAndVerifyWhenTypedDifferentlyThenMatches() {
        Argon2idPasswordHasher hasher = new Argon2idPasswordHasher(new Argon2Parameters(64, 1, 1, 16, 32),
                new SecureRandom());
        String stored = hasher.hash(policy.accept("gloomy otter banjo", List.of("ada")));

        String fullWidth = "\uFF47\uFF4C\uFF4F\uFF4F\uFF4D\uFF59\u3000otter banjo";

        assertThat(hasher.verify(stored, policy.normalize(fullWidth)).matches()).isTrue();
        assertThat(hasher.verify(stored, policy.normalize("gloomy otter banjo ")).matches()).isFalse();
    }
}
