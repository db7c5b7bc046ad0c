package dev.latchkey.infrastructure.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.PasswordHasher.Verification;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Hashes written by other systems verify and ask for a rehash; the vectors come from outside Latchkey: bcrypt from
 * glibc's libxcrypt ({@code crypt(3)} through Python) and jBCrypt's published set, scrypt and PBKDF2 from Python's
 * {@code hashlib} (OpenSSL), written in passlib's PHC forms.
 */
class PhcPasswordHasherTest {

    private static final String PASSWORD = "correct-horse-staple-92!";
    /** libxcrypt: {@code crypt("correct-horse-staple-92!", "$2b$10$abcdefghijklmnopqrstuu")}. */
    static final String BCRYPT_2B = "$2b$10$abcdefghijklmnopqrstuupqs9X8w1bqZ7LSdBX/jq3pGfF0/yJQy";
    private static final String SCRYPT = "$scrypt$ln=10,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg"
            + "$XpRhjj+IbNMbm9u7cHUyMtVyGn7qjsG4y6kx7r6M8Ig";
    private static final String PBKDF2_SHA256 = "$pbkdf2-sha256$29000$MDEyMzQ1Njc4OWFiY2RlZg"
            + "$qGMpsIcD9LPwVQR8udUbSfLRua1h/r8bEP3hB5fOz/A";
    private static final String PBKDF2_SHA512 = "$pbkdf2-sha512$i=1000$MDEyMzQ1Njc4OWFiY2RlZg$d5zS9nRjAEq4svwqJ21PBl61"
            + "QPjsoVOxXVsmuTcmJOHyRqEW7ND1q5V4XkVQJoTXjDlwm/BIjra4YqQ4CH3EIg";

    private final PhcPasswordHasher hasher = new PhcPasswordHasher(
            new Argon2idPasswordHasher(new Argon2Parameters(64, 1, 1, 16, 32), new SecureRandom()));

    @Test
    void verifyWhenBcryptFromAnotherSystemThenMatchesAndAsksForRehash() {
        assertThat(hasher.verify(BCRYPT_2B, PASSWORD)).isEqualTo(Verification.match(true));
        assertThat(hasher.verify(BCRYPT_2B, PASSWORD + "x")).isEqualTo(Verification.mismatch());
        assertThat(hasher.verify("$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i", "abc").matches())
                .isTrue();
    }

    @Test
    void verifyWhenScryptOrPbkdf2ThenMatchesAndAsksForRehash() {
        assertThat(hasher.verify(SCRYPT, PASSWORD)).isEqualTo(Verification.match(true));
        assertThat(hasher.verify(SCRYPT, "wrong")).isEqualTo(Verification.mismatch());
        assertThat(hasher.verify(PBKDF2_SHA256, PASSWORD)).isEqualTo(Verification.match(true));
        assertThat(hasher.verify(PBKDF2_SHA512, PASSWORD)).isEqualTo(Verification.match(true));
        assertThat(hasher.verify(PBKDF2_SHA256, "wrong")).isEqualTo(Verification.mismatch());
    }

    @Test
    void verifyWhenArgon2idThenDelegatesAndNewHashesAreArgon2id() {
        String hash = hasher.hash(PASSWORD);
        assertThat(hash).startsWith("$argon2id$v=19$");
        assertThat(hasher.verify(hash, PASSWORD)).isEqualTo(Verification.match(false));
        assertThat(PhcPasswordHasher.recognizes(hash)).isTrue();
    }

    @Test
    void verifyWhenCostOutOfBoundsOrUnknownFormatThenUnreadableWithoutHashing() {
        String expensive = "$2b$31$abcdefghijklmnopqrstuupqs9X8w1bqZ7LSdBX/jq3pGfF0/yJQy";
        String hugeScrypt = "$scrypt$ln=24,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg$XpRhjj+IbNMbm9u7cHUyMtVyGn7qjsG4y6kx7r6M8Ig";
        for (String bad : new String[] {expensive, hugeScrypt, "$md5$x", "plain", "$1$salt$hash"}) {
            assertThatThrownBy(() -> hasher.verify(bad, PASSWORD)).isInstanceOf(AccountException.class);
            assertThat(PhcPasswordHasher.recognizes(bad)).as(bad).isFalse();
        }
        assertThat(PhcPasswordHasher.recognizes(BCRYPT_2B)).isTrue();
        assertThat(PhcPasswordHasher.recognizes(SCRYPT)).isTrue();
        assertThat(PhcPasswordHasher.recognizes(PBKDF2_SHA256)).isTrue();
    }

    @Test
    void verifyWhenBcryptPasswordLongerThan72BytesThenNoMatchRatherThanTruncation() {
        String longPassword = "a".repeat(80);
        assertThat(hasher.verify(BCRYPT_2B, longPassword)).isEqualTo(Verification.mismatch());
    }
}
