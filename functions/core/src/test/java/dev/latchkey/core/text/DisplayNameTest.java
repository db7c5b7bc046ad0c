package dev.latchkey.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.text.DisplayName.Problem;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DisplayName}: the one rule for every human-facing name. */
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
                .isEqualTo("Field 'name' contains control, invisible or bidirectional formatting characters.");
        assertThat(DisplayName.message("nickname", Problem.TOO_LONG, 64))
                .isEqualTo("Field 'nickname' has at most 64 characters.");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.latchkey.core.text.NameRuleEverywhereTest#hiddenCharacters")
    void problemWhenBidiZeroWidthBomTagControlOrInvisibleThenInvalidCharacters(String label, String character) {
        assertThat(DisplayName.problem("Ada" + character + "Lovelace", 100)).as(label)
                .contains(Problem.INVALID_CHARACTERS);
        if (!character.equals("\n")) {
            assertThat(DisplayName.problem("Ada" + character + "Lovelace", 100, true)).as(label + " in a description")
                    .contains(Problem.INVALID_CHARACTERS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"👨\u200D👩\u200D👧", "🏳\uFE0F\u200D🌈", "👩🏽\u200D💻", "❤\uFE0F\u200D🔥", "Zoë Ångström",
        "李小龍", "محمد", "Ünïcödé ✓", "שלום"})
    void problemWhenEmojiSequencesOrOtherScriptsThenAccepted(String name) {
        assertThat(DisplayName.problem(DisplayName.normalize(name), 100)).as(name).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u200Db", "\u200D😀", "😀\u200D", "a\u200D😀", "😀\u200Db"})
    void problemWhenZeroWidthJoinerOutsideAnEmojiSequenceThenInvalidCharacters(String name) {
        assertThat(DisplayName.problem(name, 100)).contains(Problem.INVALID_CHARACTERS);
    }

    @Test
    void problemWhenLineFeedThenOnlyADescriptionMayHoldIt() {
        assertThat(DisplayName.problem("line\nbreak", 100)).contains(Problem.INVALID_CHARACTERS);
        assertThat(DisplayName.problem("line\nbreak", 100, true)).isEmpty();
        assertThat(DisplayName.problem("cr\rx", 100, true)).contains(Problem.INVALID_CHARACTERS);
    }
}
