package dev.latchkey.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.account.RegisterUserCommand;
import dev.latchkey.core.apikey.ApiKeyFixture;
import dev.latchkey.core.client.ClientCommands;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.OrganizationName;
import dev.latchkey.core.passkey.PasskeyNickname;
import dev.latchkey.core.resource.ResourceScopes;
import dev.latchkey.core.team.TeamException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11 §4: one name rule for every human-facing name. Each class of character that can hide or reorder text
 * (bidi controls, bidi marks, zero-width and other invisible format characters, BOM, tag characters, controls,
 * separators, the replacement character, Hangul fillers) is refused by every kind of name — user display names,
 * API-key names and descriptions, passkey nicknames, organization, team, resource and client names — with a 400
 * {@code VALIDATION_ERROR} naming the field and never echoing the value; and a plain name passes them all.
 */
class NameRuleEverywhereTest {

    /** Every kind of name: how it is checked, and the field the refusal names. */
    static Map<String, UnaryOperator<String>> kindsOfName() {
        Map<String, UnaryOperator<String>> kinds = new LinkedHashMap<>();
        kinds.put("user display name", RegisterUserCommand::normalizeName);
        kinds.put("API-key name", name -> ApiKeyFixture.command().name(name).build().name());
        kinds.put("API-key description", text -> ApiKeyFixture.command().description(text).build().description()
                .orElseThrow());
        kinds.put("passkey nickname", PasskeyNickname::of);
        kinds.put("organization name", OrganizationName::normalize);
        kinds.put("team name", TeamException::name);
        kinds.put("resource name", ResourceScopes::name);
        kinds.put("client name", ClientCommands::name);
        return kinds;
    }

    /** One character of each class the rule refuses, with a label. */
    static Stream<Arguments> hiddenCharacters() {
        return Stream.of(
                Arguments.of("LRE U+202A (bidi embedding)", "\u202A"),
                Arguments.of("RLO U+202E (bidi override)", "\u202E"),
                Arguments.of("LRI U+2066 (bidi isolate)", "\u2066"),
                Arguments.of("PDI U+2069 (bidi isolate end)", "\u2069"),
                Arguments.of("LRM U+200E (bidi mark)", "\u200E"),
                Arguments.of("RLM U+200F (bidi mark)", "\u200F"),
                Arguments.of("ALM U+061C (Arabic letter mark)", "\u061C"),
                Arguments.of("ZWSP U+200B (zero width space)", "\u200B"),
                Arguments.of("ZWNJ U+200C (zero width non-joiner)", "\u200C"),
                Arguments.of("ZWJ U+200D between letters", "\u200D"),
                Arguments.of("WJ U+2060 (word joiner)", "\u2060"),
                Arguments.of("invisible times U+2062", "\u2062"),
                Arguments.of("soft hyphen U+00AD", "\u00AD"),
                Arguments.of("BOM U+FEFF", "\uFEFF"),
                Arguments.of("tag LATIN SMALL A U+E0061", new String(Character.toChars(0xE0061))),
                Arguments.of("CANCEL TAG U+E007F", new String(Character.toChars(0xE007F))),
                Arguments.of("LANGUAGE TAG U+E0001", new String(Character.toChars(0xE0001))),
                Arguments.of("NUL", "\u0000"),
                Arguments.of("ESC (ANSI escapes)", "\u001B"),
                Arguments.of("line feed", "\n"),
                Arguments.of("carriage return", "\r"),
                Arguments.of("DEL", "\u007F"),
                Arguments.of("C1 NEL U+0085", "\u0085"),
                Arguments.of("line separator U+2028", "\u2028"),
                Arguments.of("paragraph separator U+2029", "\u2029"),
                Arguments.of("replacement character U+FFFD", "\uFFFD"),
                Arguments.of("Hangul filler U+3164", "\u3164"),
                Arguments.of("combining grapheme joiner U+034F", "\u034F"),
                Arguments.of("unpaired high surrogate", "\uD800"),
                Arguments.of("unpaired low surrogate", "\uDC00"));
    }

    static Stream<Arguments> everyKindTimesEveryCharacter() {
        List<Arguments> cases = new ArrayList<>();
        kindsOfName().forEach((kind, rule) -> hiddenCharacters().forEach(c -> {
            Object[] character = c.get();
            if (kind.equals("API-key description") && character[1].equals("\n")) {
                return; // a description may have line feeds, and only those
            }
            cases.add(Arguments.of(kind, character[0], character[1]));
        }));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @MethodSource("everyKindTimesEveryCharacter")
    void nameWhenHiddenCharacterThenValidationErrorWithoutTheValue(String kind, String label, String character) {
        UnaryOperator<String> rule = kindsOfName().get(kind);
        List<String> names = Character.isWhitespace(character.codePointAt(0)) ? List.of("Ada" + character + "Lovelace")
                : List.of("Ada" + character + "Lovelace", character + "Ada", "Ada" + character);
        for (String name : names) {
            LatchkeyException e = catchThrowableOfType(LatchkeyException.class, () -> rule.apply(name));

            assertThat(e).as(kind + " with " + label).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.getMessage()).doesNotContain("Ada");
            assertThat(String.valueOf(e.details())).doesNotContain("Ada");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void nameWhenPlainOrEmojiSequenceThenAcceptedAsNfc(String kind) {
        UnaryOperator<String> rule = kindsOfName().get(kind);

        assertThat(rule.apply("  Zoe\u0308 Lovelace ")).as(kind).isEqualTo("Zo\u00eb Lovelace");
        assertThat(rule.apply("Ops 👩\u200D💻")).as(kind).isEqualTo("Ops 👩\u200D💻");
    }

    static Stream<String> kinds() {
        return kindsOfName().keySet().stream();
    }
}
