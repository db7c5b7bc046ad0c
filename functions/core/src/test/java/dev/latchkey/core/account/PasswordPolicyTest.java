package dev.latchkey.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.error.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    /** 12 code points, no common word. */
    private static final String STRONG_12 = "vQ7#mLp2!xRz";

    private final FakePasswordStrength strength = new FakePasswordStrength("password", "qwerty");
    private final PasswordPolicy policy = new PasswordPolicy(strength);

    private AccountException rejected(String password, List<String> context) {
        AccountException e = catchThrowableOfType(AccountException.class, () -> policy.accept(password, context));
        assertThat(e).as("expected rejection").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).doesNotContain(password);
        assertThat(e.details().toString()).doesNotContain(password);
        return e;
    }

    @Test
    @DisplayName("[6.2.1] 11 code points rejected as TOO_SHORT, 12 accepted")
    void acceptWhenElevenCodePointsThenTooShortAndTwelveAccepted() {
        AccountException e = rejected(STRONG_12.substring(1), List.of());

        assertThat(e.reason()).isEqualTo(AccountException.Reason.TOO_SHORT);
        assertThat(e.details()).containsEntry("reason", "TOO_SHORT").containsEntry("min_length", 12)
                .containsEntry("field", "password");
        assertThat(e.getMessage()).isEqualTo("Password must be at least 12 characters.");
        assertThat(policy.accept(STRONG_12, List.of())).isEqualTo(STRONG_12);
    }

    @Test
    @DisplayName("[6.2.1] The minimum is configurable, never below 8 and never above 64")
    void constructorWhenMinimumOutOfRangeThenRejected() {
        PasswordPolicy fifteen = new PasswordPolicy(15, strength);

        assertThat(fifteen.minLength()).isEqualTo(15);
        assertThat(catchThrowableOfType(AccountException.class, () -> fifteen.accept("k7#Vb2mQ9wLpZx", List.of()))
                .details()).containsEntry("min_length", 15);
        assertThat(fifteen.accept("k7#Vb2mQ9wLpZxT", List.of())).hasSize(15);
        assertThat(new PasswordPolicy(8, strength).accept("k7#Vb2mQ", List.of())).hasSize(8);
        assertThat(new PasswordPolicy(64, strength).minLength()).isEqualTo(64);
        assertThatIllegalArgumentException().isThrownBy(() -> new PasswordPolicy(7, strength));
        assertThatIllegalArgumentException().isThrownBy(() -> new PasswordPolicy(65, strength));
        assertThat(new PasswordPolicy(strength).minLength()).isEqualTo(PasswordPolicy.DEFAULT_MIN_LENGTH);
    }

    @Test
    @DisplayName("[6.2.9] 64 and 1024 code points accepted length-wise, 1025 rejected as TOO_LONG before estimating")
    void acceptWhenLongThenUpTo1024AcceptedAnd1025TooLong() {
        String sixtyFour = "k7#Vb2mQ".repeat(8);
        String max = "k7#Vb2mQ".repeat(128);

        assertThat(new PasswordPolicy(64, strength).accept(sixtyFour, List.of())).isEqualTo(sixtyFour);
        assertThat(policy.accept(max, List.of())).isEqualTo(max).hasSize(1024);

        int assessedBefore = strength.assessed().size();
        AccountException e = rejected(max + "x", List.of());

        assertThat(e.reason()).isEqualTo(AccountException.Reason.TOO_LONG);
        assertThat(e.details()).containsEntry("reason", "TOO_LONG").containsEntry("max_length", 1024)
                .containsEntry("min_length", 12);
        assertThat(strength.assessed()).as("never estimated").hasSize(assessedBefore);
    }

    @Test
    @DisplayName("[6.2.9] Hash DoS: a megabyte password is refused by normalize() without normalizing it")
    void normalizeWhenHugeThenTooLong() {
        String huge = "a".repeat(1 << 20);

        AccountException e = catchThrowableOfType(AccountException.class, () -> policy.normalize(huge));

        assertThat(e.reason()).isEqualTo(AccountException.Reason.TOO_LONG);
        assertThat(catchThrowableOfType(AccountException.class,
                () -> policy.normalize("a".repeat(PasswordPolicy.MAX_INPUT_CHARS + 1))).reason())
                .isEqualTo(AccountException.Reason.TOO_LONG);
    }

    @Test
    @DisplayName("[6.2.1] Length is counted in code points: astral characters (emoji) count once")
    void acceptWhenAstralCharactersThenCountedAsCodePoints() {
        String elevenEmoji = "\uD83D\uDE00\uD83D\uDC31\uD83C\uDF55\uD83D\uDE80\uD83C\uDF08\uD83D\uDC0D"
                + "\uD83C\uDFB8\uD83E\uDD84\uD83C\uDF35\uD83D\uDC1D\uD83C\uDF69";
        assertThat(elevenEmoji.codePointCount(0, elevenEmoji.length())).isEqualTo(11);
        assertThat(elevenEmoji).hasSize(22);

        assertThat(rejected(elevenEmoji, List.of()).reason()).isEqualTo(AccountException.Reason.TOO_SHORT);
        assertThat(policy.accept(elevenEmoji + "\uD83E\uDD8A", List.of())).hasSize(24);

        String astral1024 = "\uD834\uDD1E".repeat(1024);
        assertThat(policy.accept(astral1024, List.of())).hasSize(2048);
        assertThat(rejected(astral1024 + "\uD834\uDD1E", List.of()).reason())
                .isEqualTo(AccountException.Reason.TOO_LONG);
    }

    @Test
    @DisplayName("[6.2.8] NFKC before counting and hashing: full-width equals ASCII, decomposed equals composed")
    void normalizeWhenFullWidthOrDecomposedThenSameAsPlainForm() {
        String fullWidth = "\uFF41\uFF42\uFF43\uFF44\uFF45\uFF46\uFF47\uFF48\uFF11\uFF12\uFF13\uFF14";

        assertThat(policy.normalize(fullWidth)).isEqualTo("abcdefgh1234");
        assertThat(policy.accept(fullWidth, List.of())).isEqualTo("abcdefgh1234");
        assertThat(policy.normalize("Cafe\u0301 noir\u2126")).isEqualTo(policy.normalize("Caf\u00E9 noir\u03A9"));
        assertThat(policy.normalize("\u212Aelvin")).isEqualTo("Kelvin");
    }

    @Test
    @DisplayName("[6.2.9] No truncation and no trimming: every code point, spaces included, is kept")
    void normalizeWhenSpacesOrLongThenKeptVerbatim() {
        String spaced = "  correct horse battery staple  ";
        String long100 = "Zq8!".repeat(25);

        assertThat(policy.normalize(spaced)).isEqualTo(spaced);
        assertThat(policy.accept(long100, List.of())).isEqualTo(long100);
        assertThat(policy.normalize(long100 + "a")).isNotEqualTo(policy.normalize(long100 + "b"));
    }

    @Test
    void normalizeWhenControlCharacterOrLoneSurrogateThenInvalidCharacters() {
        for (String bad : List.of("abcdefghijk\u0000l", "abcdefghijkl\n", "abcdefghij\uD800kl", "\uDC00abcdefghijkl")) {
            AccountException e = catchThrowableOfType(AccountException.class, () -> policy.normalize(bad));

            assertThat(e.reason()).isEqualTo(AccountException.Reason.INVALID_CHARACTERS);
            assertThat(e.getMessage()).doesNotContain(bad);
        }
    }

    @Test
    @DisplayName("[6.2.4] A password the estimator finds weak is TOO_COMMON with its hint")
    void acceptWhenEstimatorFindsWeaknessThenTooCommonWithHint() {
        AccountException e = rejected("MyPassword1234", List.of());

        assertThat(e.reason()).isEqualTo(AccountException.Reason.TOO_COMMON);
        assertThat(e.details()).containsEntry("reason", "TOO_COMMON")
                .containsEntry("hint", FakePasswordStrength.COMMON_HINT)
                .containsEntry("min_length", 12);
        assertThat(e.getMessage()).contains(FakePasswordStrength.COMMON_HINT);
    }

    @Test
    @DisplayName("[6.2.4] The estimator gets the NFKC form and the context words")
    void acceptWhenCheckedThenEstimatorSeesNormalizedPasswordAndContext() {
        policy.accept("\uFF36Q7#mLp2!xRz", List.of("ada"));

        assertThat(strength.assessed()).containsExactly("VQ7#mLp2!xRz");
        assertThat(strength.contexts()).containsExactly(List.of("ada"));
    }

    @Test
    @DisplayName("[6.2.4] Context words from the email and the name make a password weak")
    void acceptWhenPasswordBuiltFromEmailOrNameThenTooCommon() {
        EmailAddress email = EmailAddress.parse("ada.lovelace@analytical-engine.org");
        List<String> context = PasswordPolicy.contextWords(email, List.of("Augusta Ada King"));

        assertThat(rejected("Analytical!9x7Q", context).reason()).isEqualTo(AccountException.Reason.TOO_COMMON);
        assertThat(rejected("AugustaKing#1815", context).details()).containsEntry("hint",
                FakePasswordStrength.CONTEXT_HINT);
        assertThat(policy.accept("Analytical!9x7Q", List.of())).isEqualTo("Analytical!9x7Q");
    }

    @Test
    void contextWordsWhenEmailAndNamesThenLowerCasePiecesOfThreeOrMore() {
        EmailAddress email = EmailAddress.parse("Ada.Lovelace+ai@Analytical-Engine.co.uk");

        List<String> names = List.of("Ada Lovelace", " ", "\uFF2B\uFF49\uFF4E\uFF47");

        List<String> words = PasswordPolicy.contextWords(email, names);

        assertThat(words).containsExactly("ada.lovelace+ai", "ada", "lovelace", "analytical-engine", "analytical",
                "engine", "adalovelace", "ada lovelace", "king");
    }

    @Test
    void contextWordsWhenInternationalDomainThenPunycodeLabelsSkipped() {
        EmailAddress email = EmailAddress.parse("bob@b\u00FCcher.de");

        assertThat(PasswordPolicy.contextWords(email, List.of())).containsExactly("bob");
    }

    @Test
    @DisplayName("[6.2.4] An estimator hint that would echo the password is replaced by a generic one")
    void acceptWhenHintContainsPasswordThenGenericHint() {
        String password = "Qwerty-Zx81!mP";
        PasswordPolicy echoing = new PasswordPolicy(new FakePasswordStrength("qwerty").hint("'" + password
                + "' is weak"));

        AccountException e = catchThrowableOfType(AccountException.class, () -> echoing.accept(password, List.of()));

        assertThat(e.details()).containsEntry("hint", PasswordPolicy.GENERIC_HINT);
        assertThat(e.getMessage()).doesNotContain(password);
        assertThat(e.details().values()).allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(password));
    }

    @Test
    void weaknessWhenHintBlankOrHugeThenRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new PasswordStrength.Weakness(" "));
        assertThatIllegalArgumentException().isThrownBy(() -> new PasswordStrength.Weakness("x".repeat(201)));
    }

    @Test
    void verificationWhenRehashWithoutMatchThenRejected() {
        assertThat(PasswordHasher.Verification.match(true)).isEqualTo(new PasswordHasher.Verification(true, true));
        assertThat(PasswordHasher.Verification.mismatch().matches()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new PasswordHasher.Verification(false, true));
    }

    @Test
    void unreadablePasswordHashWhenThrownThenInternalErrorWithoutDetails() {
        AccountException e = AccountException.unreadablePasswordHash();

        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(e.details()).isEqualTo(Map.of());
        assertThat(e.reason()).isEqualTo(AccountException.Reason.UNREADABLE_PASSWORD_HASH);
    }
}
