package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.id.IdPrefix;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The key format: {@code lk_} + id + secret + checksum, and that every malformed key is refused by
 * {@link ApiKeyToken#parse} without I/O. Assertions compare booleans and lengths so that a failure never
 * prints a real key.
 */
class ApiKeyTokenTest {

    private static final Pattern SHAPE = Pattern.compile("lk_[0-9A-HJKMNP-TV-Z]{26}[0-9A-Za-z]{38}");
    private static final Pattern WORD_CHARACTERS = Pattern.compile("[A-Za-z0-9_]+");
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int SECRET_START = 3 + 26;

    private final ApiKeyFixture f = new ApiKeyFixture();

    @Test
    @DisplayName("a key is 67 characters: lk_, the key id's 26, a 32-character secret and a 6-character checksum")
    void generateWhenKeyIdThenFormatAndKeyIdRoundTrip() {
        String keyId = f.ids.next(IdPrefix.API_KEY);
        ApiKeyToken token = ApiKeyToken.generate(keyId, f.random);
        String value = token.value();

        assertThat(ApiKeyToken.LENGTH).isEqualTo(67);
        assertThat(value.length()).isEqualTo(67);
        assertThat(value.startsWith("lk_")).isTrue();
        assertThat(WORD_CHARACTERS.matcher(value).matches()).as("only [A-Za-z0-9_]").isTrue();
        assertThat(SHAPE.matcher(value).matches()).as("id in Crockford base32, the rest base62").isTrue();
        assertThat(value.indexOf('_', 3)).as("no underscore after the prefix").isEqualTo(-1);
        assertThat(token.keyId()).isEqualTo(keyId);
        assertThat(ApiKeyToken.isKeyId(token.keyId())).isTrue();
        assertThat(ApiKeyToken.parse(value)).contains(token);
        assertThat(ApiKeyToken.parse(value).map(ApiKeyToken::keyId)).contains(keyId);
        assertThat(ApiKeyToken.looksLikeKey(value)).isTrue();
    }

    @Test
    @DisplayName("[11.5.1] the secret has at least 128 bits: new keys for one id differ and use all of base62")
    void generateWhenSameKeyIdThenSecretsDifferAndSpanBase62() {
        assertThat(ApiKeyToken.SECRET_LENGTH * Math.log(62) / Math.log(2)).isGreaterThanOrEqualTo(128.0);
        String keyId = f.ids.next(IdPrefix.API_KEY);
        Set<String> secrets = new HashSet<>();
        Set<Character> alphabet = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String value = ApiKeyToken.generate(keyId, f.random).value();
            String secret = value.substring(SECRET_START, SECRET_START + ApiKeyToken.SECRET_LENGTH);
            secrets.add(secret);
            secret.chars().forEach(c -> alphabet.add((char) c));
        }

        assertThat(secrets.size()).as("distinct secrets").isEqualTo(200);
        // 6,400 draws from 62 characters: a missing one would mean a biased or truncated alphabet.
        assertThat(alphabet).hasSize(62);
        assertThat(alphabet.stream().allMatch(c -> BASE62.indexOf(c) >= 0)).isTrue();
    }

    @Test
    @DisplayName("only a key id makes a key")
    void generateWhenNotAKeyIdThenRefused() {
        String ulid = f.ids.next(IdPrefix.API_KEY).substring(4);
        for (String notAKeyId : new String[] {null, "", "key_", "usr_" + ulid, "key_" + ulid.toLowerCase(Locale.ROOT),
            "key_" + ulid + "0", "key_" + ulid.substring(1), "key_" + ulid.substring(1) + "U"}) {
            assertThat(ApiKeyToken.isKeyId(notAKeyId)).as("isKeyId(%s)", notAKeyId).isFalse();
            assertThatThrownBy(() -> ApiKeyToken.generate(notAKeyId, f.random))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ApiKeyToken.generate(f.ids.next(IdPrefix.API_KEY), null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    @DisplayName("the checksum refuses every single-character substitution of a real key, without a read")
    void parseWhenAnySingleCharacterSubstitutedThenRefusedWithoutIo() {
        String value = f.create().token().value();
        char[] replacements = {'0', '1', 'Z', 'a', 'z', 'U', '_', '-'};
        int tried = 0;
        for (int position = 0; position < value.length(); position++) {
            for (char replacement : replacements) {
                if (value.charAt(position) == replacement) {
                    continue;
                }
                String mutated = value.substring(0, position) + replacement + value.substring(position + 1);
                assertThat(ApiKeyToken.parse(mutated)).as("substitution at %d", position).isEmpty();
                Verification verification = f.verify.verify(mutated, Optional.empty());
                assertThat(verification.failure()).as("substitution at %d", position)
                        .contains(VerificationFailure.NOT_FOUND);
                assertThat(verification.key()).isEmpty();
                tried++;
            }
        }

        assertThat(tried).isGreaterThan(67 * 6);
        assertThat(f.repository.finds()).as("reads for malformed keys").isZero();
    }

    @Test
    @DisplayName("a checksum that does not fit its key is refused, also when only one checksum digit differs")
    void parseWhenChecksumOffByOneDigitThenRefused() {
        String value = f.unknownKey().value();
        String body = value.substring(0, ApiKeyToken.LENGTH - ApiKeyToken.CHECKSUM_LENGTH);
        assertThat(ApiKeyToken.checksum(body)).isEqualTo(value.substring(body.length()));
        for (int i = 0; i < ApiKeyToken.CHECKSUM_LENGTH; i++) {
            char digit = value.charAt(body.length() + i);
            char next = BASE62.charAt((BASE62.indexOf(digit) + 1) % 62);
            String mutated = value.substring(0, body.length() + i) + next + value.substring(body.length() + i + 1);
            assertThat(ApiKeyToken.parse(mutated)).as("checksum digit %d", i).isEmpty();
        }
    }

    @Test
    @DisplayName("truncated keys and keys with extra characters are refused without a read")
    void parseWhenTruncatedOrExtendedThenRefusedWithoutIo() {
        String value = f.create().token().value();
        String[] wrong = {
            value.substring(0, value.length() - 1), value.substring(1), value.substring(0, 3 + 26),
            value.substring(0, 3 + 26 + 32), value + "0", "0" + value, value + " ", " " + value, value + "\n",
            value + value, value.substring(0, 33) + "0" + value.substring(33), "lk_", "",
        };
        for (int i = 0; i < wrong.length; i++) {
            assertThat(ApiKeyToken.parse(wrong[i])).as("case %d", i).isEmpty();
            assertThat(f.verify.verify(wrong[i], Optional.empty()).failure()).as("case %d", i)
                    .contains(VerificationFailure.NOT_FOUND);
        }
        assertThat(f.repository.finds()).isZero();
    }

    @Test
    @DisplayName("another prefix is refused even with a checksum computed over it")
    void parseWhenWrongPrefixThenRefused() {
        String value = f.create().token().value();
        String rest = value.substring(3, ApiKeyToken.LENGTH - ApiKeyToken.CHECKSUM_LENGTH);
        for (String prefix : new String[] {"LK_", "lk-", "sk_", "lkv", "gh_"}) {
            String keyed = prefix + rest + ApiKeyToken.checksum(prefix + rest);
            assertThat(keyed.length()).isEqualTo(ApiKeyToken.LENGTH);
            assertThat(ApiKeyToken.parse(keyed)).as("prefix %s", prefix).isEmpty();
            assertThat(f.verify.verify(keyed, Optional.empty()).failure()).contains(VerificationFailure.NOT_FOUND);
        }
        assertThat(f.repository.finds()).isZero();
    }

    @Test
    @DisplayName("a lower-case key id is refused even with a checksum computed over it (ids are upper-case)")
    void parseWhenLowercaseIdThenRefused() {
        String value = f.create().token().value();
        String body = "lk_" + value.substring(3, SECRET_START).toLowerCase(Locale.ROOT)
                + value.substring(SECRET_START, ApiKeyToken.LENGTH - ApiKeyToken.CHECKSUM_LENGTH);
        String lowered = body + ApiKeyToken.checksum(body);

        assertThat(ApiKeyToken.parse(lowered)).isEmpty();
        assertThat(f.verify.verify(lowered, Optional.empty()).failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(f.repository.finds()).isZero();
    }

    @Test
    @DisplayName("a key id with letters Crockford base32 leaves out (I, L, O, U) is refused")
    void parseWhenIdOutsideCrockfordThenRefused() {
        String value = f.unknownKey().value();
        for (char letter : new char[] {'I', 'L', 'O', 'U'}) {
            String body = "lk_" + letter + value.substring(4, ApiKeyToken.LENGTH - ApiKeyToken.CHECKSUM_LENGTH);
            assertThat(ApiKeyToken.parse(body + ApiKeyToken.checksum(body))).as("letter %s", letter).isEmpty();
        }
    }

    @Test
    @DisplayName("null and blank are refused without a read")
    void parseWhenNullOrBlankThenRefusedWithoutIo() {
        assertThat(ApiKeyToken.parse(null)).isEmpty();
        assertThat(ApiKeyToken.parse(" ".repeat(67))).isEmpty();
        assertThat(f.verify.verify(null, Optional.empty()).failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(f.verify.verify("", Optional.empty()).failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(f.repository.finds()).isZero();
        assertThat(ApiKeyToken.looksLikeKey(null)).isFalse();
        assertThat(ApiKeyToken.looksLikeKey("lk")).isFalse();
    }

    @Test
    @DisplayName("[16.2.5] toString shows the key id, never the key or its secret")
    void toStringWhenPrintedThenNoKeyText() {
        CreatedApiKey created = f.create();
        ApiKeyToken token = created.token();
        String secret = token.value().substring(SECRET_START, SECRET_START + ApiKeyToken.SECRET_LENGTH);

        assertThat(token.toString().contains(token.value())).isFalse();
        assertThat(token.toString().contains(secret)).isFalse();
        assertThat(token.toString()).contains(token.keyId()).contains("<redacted>");
        assertThat(created.toString().contains(secret)).as("CreatedApiKey.toString").isFalse();
        assertThat(String.valueOf(ApiKeyToken.parse(token.value())).contains(secret)).isFalse();
    }

    @Test
    @DisplayName("equal keys are equal; different keys of one id are not")
    void equalsWhenSameValueThenEqual() {
        ApiKeyToken token = f.unknownKey();
        ApiKeyToken same = ApiKeyToken.parse(token.value()).orElseThrow();
        ApiKeyToken other = ApiKeyToken.generate(token.keyId(), f.random);

        assertThat(same).isEqualTo(token).hasSameHashCodeAs(token);
        assertThat(other).isNotEqualTo(token);
    }
}
