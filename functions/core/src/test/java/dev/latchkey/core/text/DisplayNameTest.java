package dev.latchkey.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.text.DisplayName.Problem;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link DisplayName}: the one rule for organization, team, resource and client names. */
class DisplayNameTest {

    @Test
    void normalizeWhenDecomposedAndPaddedThenNfcAndStripped() {
        assertThat(DisplayName.normalize("  Cafe\u0301 ")).isEqualTo("Café");
        assertThat(DisplayName.normalize(null)).isEmpty();
    }

    @Test
    void problemWhenBlankTooLongOrHiddenCharactersThenNamed() {
        assertThat(DisplayName.problem("", 10)).contains(Problem.REQUIRED);
        assertThat(DisplayName.problem("x".repeat(11), 10)).contains(Problem.TOO_LONG);
        assertThat(DisplayName.problem("😀".repeat(10), 10)).as("code points, not chars").isEmpty();
        assertThat(DisplayName.problem("a\nb", 10)).contains(Problem.INVALID_CHARACTERS);
        assertThat(DisplayName.problem("a\u202Eb", 10)).as("right-to-left override")
                .contains(Problem.INVALID_CHARACTERS);
        assertThat(DisplayName.problem("a\u2028b", 10)).as("line separator").contains(Problem.INVALID_CHARACTERS);
        assertThat(DisplayName.problem("👩\u200D💻", 10)).as("zero-width joiner of an emoji").isEqualTo(Optional.empty());
        assertThat(DisplayName.problem("Platform team", 100)).isEmpty();
    }

    @Test
    void messageWhenProblemThenNamesTheLimitWithoutTheValue() {
        assertThat(DisplayName.message(Problem.TOO_LONG, 100)).isEqualTo("Field 'name' has at most 100 characters.");
        assertThat(DisplayName.message(Problem.REQUIRED, 100)).isEqualTo("Field 'name' is required.");
        assertThat(DisplayName.message(Problem.INVALID_CHARACTERS, 100))
                .isEqualTo("Field 'name' contains control characters.");
    }
}
