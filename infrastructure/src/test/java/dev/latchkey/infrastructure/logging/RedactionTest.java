package dev.latchkey.infrastructure.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Redaction}'s necessary conditions only skip patterns that cannot match, and its secret-field, JWT and email
 * code gives what each pattern gives: on every text its output is the patterns' own
 * ({@link Redaction#redactByPatternsOnly}), in time linear in the text's length.
 * {@code LogRedactionTest} covers the shapes through the real log paths.
 */
class RedactionTest {

    /**
     * Pieces of every shape and of near misses: prefixes, keywords in both cases, separators, white space the
     * patterns know and white space they do not, non-ASCII letters that case folding could confuse (Kelvin sign,
     * long s, dotted I), base32 runs around 16.
     */
    private static final List<String> PIECES = List.of("lk", "_", "lkr_", "lkcs_", "Lk_", "eyJ", "eyj", ".", "Bearer",
            "BASIC", "basic", "bearer", " ", "\t", "\n", "\u000B", "\f", "\r", "\u00A0", "password", "PassWord",
            "Secret", "token", "TOKEN", "totp", "otp", "code", "authorization", "email", "Email", "api", "API", "-",
            "key", "KEY", "keys", "\"", "\"", ":", "=", "&", ",", "}", "{", "@", "example", ".com", "JBSWY3DPEHPK3PXP",
            "JBSWY3DPEHPK3PX", "A", "Z", "2", "7", "8", "x", "abc123", "\u00E9", "\u0130", "\u212A", "\u017F", "\u0131",
            "route", "/oauth/token", "/v1/api-keys/verify", "status", "200", "%", "+", "'", "~", "/");

    /**
     * Pieces of secret-named fields and of what the pattern's every part could take or refuse: names split and
     * joined by {@code _} and {@code -} ({@code api-key} in every spelling, chained), quotes next to letters and in
     * pairs, runs of {@code :} and {@code =}, {@code \s} and white space outside it (no-break space, U+001C, NEL,
     * line separator, ideographic space), what ends a value (a quote, {@code &}, a comma, a closing brace) right
     * after the separator, non-ASCII look-alikes inside keywords, a surrogate pair and lone surrogates.
     */
    private static final List<String> FIELD_PIECES = List.of("password", "PassWord", "pass", "word", "Secret",
            "token", "TOKEN", "tok", "en", "totp", "otp", "OTP", "code", "co", "de", "authorization", "email",
            "api", "API", "key", "KEY", "keys", "api-key", "Api-Key", "api_key", "apikey", "api--key", "-key",
            "-keyapi", "_-", "-", "_", "x", "K", "e", "y", "abc123", "1", "/", ".", "\"", "\"", "\"\"", "x\"",
            "\":\"", ":", "=", "::", "==", ":=", ": ", " = ", "=\"", " ", "\t", "\n", "\u000B", "\f", "\r",
            "\u00A0", "\u001C", "\u0085", "\u2028", "\u3000", "&", ",", "}", "{", "\u00E9", "to\u212Aen",
            "api_\u212Aey", "-\u212Aey", "pa\u017F\u017Fword", "ema\u0130l", "\u0131", "\u212A", "\uD83D\uDE00",
            "\uD83D", "\uDE00");

    /**
     * Pieces of email addresses and near misses: runs of local-part characters ({@code . _ % + ' -} among them),
     * {@code @} alone and doubled, dots and hyphens leading, trailing and doubled, whole addresses and addresses
     * chained ({@code a@b.c@d.e}), {@code .@} and {@code @.}, what ends a run (white space, brackets, a quote),
     * non-ASCII look-alikes (a fullwidth {@code @} and full stop, a one-dot leader, a Kelvin sign, an Arabic-Indic
     * digit), a surrogate pair and lone surrogates.
     */
    private static final List<String> EMAIL_PIECES = List.of("a", "Z", "0", "9", "abc", "x.y", "grace.hopper",
            ".", ".", "..", "_", "-", "%", "+", "'", "@", "@", "@", "@@", "b", "c", "com", ".com", ".c", "-x", "x-",
            ".-", "-.", "a@b.c", "a@b.c@d.e", ".@", "@.", "@-", "a@b", "@example.com", " ", " ", ",", "<", ">", "\"",
            ":", "=", "/", "\u00E9", "\u212A", "\uFF20", "\uFF0E", "\u2024", "\u0660", "\uD83D\uDE00", "\uD83D",
            "\uDE00");

    /**
     * Pieces of JWTs and near misses: {@code eyJ} in other cases and split, inside runs and repeated, one to three
     * dots and empty segments ({@code eyJ.}, {@code eyJ..}), {@code _} and {@code -}, characters outside base64url
     * ({@code + / = ~}, white space, {@code @}), non-ASCII look-alikes (a Cyrillic {@code е}, a Kelvin sign, a
     * fullwidth full stop), a surrogate pair.
     */
    private static final List<String> JWT_PIECES = List.of("eyJ", "eyJ", "eyJ", "eyj", "EYJ", "eYJ", "ey", "e", "y",
            "J", "eyJeyJ", "eyJ.", "eyJ..", ".eyJ", "eyJhbGciOiJIUzI1NiJ9", ".", ".", "..", "_", "-", "a", "Z", "0",
            "9", "abc", " ", "/", "+", "=", "~", "@", "\"", "\u00E9", "\u212A", "\uFF0E", "\u0435yJ",
            "\uD83D\uDE00");

    @Test
    @DisplayName("on 30,000 texts built from every shape's pieces, the output equals the patterns' own")
    void redactWhenGeneratedTextsThenSameAsEveryPatternOnTheWholeText() {
        int changed = changedAndAlike(20261207, Redaction::redact, Redaction::redactByPatternsOnly);
        // The corpus exercises the patterns: a good share of the texts hold a shape, a good share none.
        assertThat(changed).isBetween(3_000, 27_000);
    }

    @Test
    @DisplayName("the secret-field pattern with its start and tail bounds replaces exactly what it did without them")
    void secretFieldPatternWhenGeneratedTextsThenSameAsWithoutTheBounds() {
        Pattern bounded = Pattern.compile(Redaction.SECRET_FIELD);
        Pattern unbounded = Pattern.compile("(?i)(\"?[a-z_]*"
                + "(password|secret|token|totp|otp|code|authorization|api[_-]?key|email)[a-z_]*"
                + "\"?\\s*[:=]\\s*\"?)([^\"&,\\s}]+)");
        int changed = changedAndAlike(7, text -> bounded.matcher(text).replaceAll("$1" + Redaction.MASK),
                text -> unbounded.matcher(text).replaceAll("$1" + Redaction.MASK));
        assertThat(changed).as("texts the pattern changed").isGreaterThan(1_000);
    }

    @Test
    @DisplayName("on 200,000 texts built from field pieces, the secret-field code replaces what its pattern does")
    void redactSecretFieldsWhenGeneratedTextsThenSameAsThePattern() {
        Pattern pattern = Pattern.compile(Redaction.SECRET_FIELD);
        int changed = changedAndAlike(FIELD_PIECES, 200_000, 20261208, Redaction::redactSecretFields,
                text -> pattern.matcher(text).replaceAll("$1" + Redaction.MASK));
        assertThat(changed).as("texts the pattern changed").isBetween(20_000, 180_000);
    }

    @Test
    @DisplayName("the pattern's corners: where a match starts, what each optional part takes, what ends a value")
    void redactSecretFieldsWhenEdgeCasesThenAsThePattern() {
        Pattern pattern = Pattern.compile(Redaction.SECRET_FIELD);
        String mask = Redaction.MASK;
        List<List<String>> cases = List.of(
                // A match starts at a word, or at a quote before one; a quote after a letter moves it to the word.
                List.of("x\"password=1", "x\"password=" + mask), List.of("\"\"password=1", "\"\"password=" + mask),
                List.of("a\"password=b\"token=c", "a\"password=" + mask + "\"token=" + mask),
                // The keyword anywhere in the word, the word whole; non-ASCII letters end a word and fold to nothing.
                List.of("client_secret_hash = x", "client_secret_hash = " + mask),
                List.of("passwords=x", "passwords=" + mask),
                List.of("\u212Atoken=1", "\u212Atoken=" + mask), List.of("to\u212Aen=1", "to\u212Aen=1"),
                List.of("\u00E9token=1", "\u00E9token=" + mask), List.of("token\u00E9=1", "token\u00E9=1"),
                List.of("pa\u017F\u017Fword=1", "pa\u017F\u017Fword=1"), List.of("ema\u0131l=1", "ema\u0131l=1"),
                // api-key leaves the word: the name runs on to the end of the word after the dash.
                List.of("xapi-key_z=1", "xapi-key_z=" + mask), List.of("token_api-key x", "token_api-key x"),
                List.of("api--key=1", "api--key=1"), List.of("api_-key=1", "api_-key=1"),
                List.of("api-keyapi-key=1", "api-keyapi-key=" + mask), List.of("api-\u212Aey=1", "api-\u212Aey=1"),
                // One optional quote each side of the separator; white space is \s only.
                List.of("password\" =x", "password\" =" + mask), List.of("password \"=x", "password \"=x"),
                List.of("password\"\"=x", "password\"\"=x"), List.of("password=\"\"x", "password=\"\"x"),
                List.of("password= \"", "password= \""), List.of("password=\" \"", "password=\" \""),
                List.of("password\u001C=1", "password\u001C=1"), List.of("password=\u00A0x", "password=" + mask),
                // The value: : and = are value characters; " & , } and \s end it; the scan resumes after it.
                List.of("password==x", "password=" + mask), List.of("password=:x", "password=" + mask),
                List.of("password= ,x", "password= ,x"), List.of("password=abcpassword=x", "password=" + mask),
                List.of("password=a,token=b", "password=" + mask + ",token=" + mask),
                List.of("password=\uD83D\uDE00x}", "password=" + mask + "}"));
        for (List<String> pair : cases) {
            assertThat(pattern.matcher(pair.get(0)).replaceAll("$1" + mask)).as("pattern on %s", pair.get(0))
                    .isEqualTo(pair.get(1));
            assertThat(Redaction.redactSecretFields(pair.get(0))).as("code on %s", pair.get(0)).isEqualTo(pair.get(1));
        }
    }

    @Test
    @DisplayName("on 200,000 texts built from email pieces, the email code replaces what its pattern does")
    void redactEmailsWhenGeneratedTextsThenSameAsThePattern() {
        Pattern pattern = Pattern.compile(Redaction.EMAIL);
        int changed = changedAndAlike(EMAIL_PIECES, 200_000, 20261209, Redaction::redactEmails,
                text -> pattern.matcher(text).replaceAll(Redaction.MASK));
        assertThat(changed).as("texts the pattern changed").isBetween(20_000, 180_000);
    }

    @Test
    @DisplayName("on 200,000 texts built from JWT pieces, the JWT code replaces what its pattern does")
    void redactJwtsWhenGeneratedTextsThenSameAsThePattern() {
        Pattern pattern = Pattern.compile(Redaction.JWT);
        int changed = changedAndAlike(JWT_PIECES, 200_000, 20261210, Redaction::redactJwts,
                text -> pattern.matcher(text).replaceAll(Redaction.MASK));
        assertThat(changed).as("texts the pattern changed").isBetween(20_000, 180_000);
    }

    @Test
    @DisplayName("the email pattern's corners: where a match starts and resumes, how far the domain runs")
    void redactEmailsWhenEdgeCasesThenAsThePattern() {
        String mask = Redaction.MASK;
        List<List<String>> cases = List.of(
                // The local part is the whole run before the @, whatever its dots and symbols; nothing bounds it.
                List.of("a@b.c", mask), List.of("a.b'c%d+e-f_g@x-y.z-w", mask), List.of("a b@c.d", "a " + mask),
                List.of("<a@b.c>", "<" + mask + ">"), List.of("..@b.c", mask), List.of("@b.c", "@b.c"),
                // The domain: labels of [A-Za-z0-9-] (hyphens anywhere), as many dotted labels as follow, at least one.
                List.of("a@b.c.d", mask), List.of("a@-.-", mask), List.of("a@b", "a@b"), List.of("a@b.", "a@b."),
                List.of("a@.b.c", "a@.b.c"), List.of("a@b..c", "a@b..c"), List.of("a@b.c.", mask + "."),
                List.of("a@b.c..d", mask + "..d"), List.of("a@b_c.d", "a@b_c.d"),
                // After a match the scan resumes where it ended, inside a run: a second address can start there.
                List.of("a@b.c.@x.y", mask + mask), List.of("a@b.c_d@e.f", mask + mask),
                List.of("a@b.c@d.e", mask + "@d.e"), List.of("a@b.c'@d.e", mask + mask),
                // A domain that fails is read again as the next local part.
                List.of("a@b@c.d", "a@" + mask), List.of("a@b.@c.d", "a@" + mask), List.of("a@@b.c", "a@@b.c"),
                // ASCII only: a non-ASCII letter or look-alike ends a run.
                List.of("\u00E9a@b.c", "\u00E9" + mask), List.of("a@b.c\u00E9", mask + "\u00E9"),
                List.of("a@b.\u212A", "a@b.\u212A"), List.of("a\uFF20b.c", "a\uFF20b.c"),
                List.of("a@b\uFF0Ec", "a@b\uFF0Ec"), List.of("a@b.\u0660", "a@b.\u0660"));
        Pattern pattern = Pattern.compile(Redaction.EMAIL);
        for (List<String> pair : cases) {
            assertThat(pattern.matcher(pair.get(0)).replaceAll(mask)).as("pattern on %s", pair.get(0))
                    .isEqualTo(pair.get(1));
            assertThat(Redaction.redactEmails(pair.get(0))).as("code on %s", pair.get(0)).isEqualTo(pair.get(1));
        }
    }

    @Test
    @DisplayName("the JWT pattern's corners: eyJ anywhere in a run, empty segments, at most three of them")
    void redactJwtsWhenEdgeCasesThenAsThePattern() {
        String mask = Redaction.MASK;
        List<List<String>> cases = List.of(
                // eyJ, case-sensitive, anywhere in a run (nothing bounds it before); a dot after its run.
                List.of("eyJa.b.c", mask), List.of("xeyJa.b", "x" + mask), List.of("eyJ", "eyJ"),
                List.of("eyjA.b", "eyjA.b"), List.of("EYJa.b", "EYJa.b"), List.of("\u0435yJa.b", "\u0435yJa.b"),
                List.of("eyJeyJ", "eyJeyJ"), List.of("aeyJb eyJc.d", "aeyJb " + mask), List.of("eyJa b.c", "eyJa b.c"),
                // Empty segments; the third is optional and taken when a dot follows the second; no fourth.
                List.of("eyJ.", mask), List.of("eyJ..", mask), List.of("eyJ...", mask + "."),
                List.of("eyJa.b", mask), List.of("eyJa.b.c.d", mask + ".d"), List.of("eyJ_-.-_", mask),
                // The scan resumes after a match: a JWT right after the fourth dot is a second one.
                List.of("eyJa.b.c.eyJd.e", mask + "." + mask), List.of("eyJa.b.c.eyJ", mask + ".eyJ"),
                // base64url ASCII only: anything else ends a segment.
                List.of("eyJa\u00E9.b", "eyJa\u00E9.b"), List.of("eyJa.b\u00E9.c", mask + "\u00E9.c"),
                List.of("eyJa.b+c.d", mask + "+c.d"), List.of("eyJa\uFF0Eb", "eyJa\uFF0Eb"));
        Pattern pattern = Pattern.compile(Redaction.JWT);
        for (List<String> pair : cases) {
            assertThat(pattern.matcher(pair.get(0)).replaceAll(mask)).as("pattern on %s", pair.get(0))
                    .isEqualTo(pair.get(1));
            assertThat(Redaction.redactJwts(pair.get(0))).as("code on %s", pair.get(0)).isEqualTo(pair.get(1));
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a regex cannot be interrupted
    @DisplayName("300 KB hostile lines (a run of local-part characters, of eyJ) are redacted in one pass, still masked")
    void redactWhenHostileLongEmailOrJwtLinesThenStillMaskedAndLinear() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";
        for (String hostile : List.of("a".repeat(300_000) + " @ ", "a.".repeat(150_000) + "@ ", ".".repeat(300_000)
                + "@x", "a@".repeat(150_000), "x@" + "a-".repeat(150_000), "a@b".repeat(100_000), "@.".repeat(150_000),
                "eyJ".repeat(100_000), "eyJ-".repeat(75_000), "eyJ_eyJa".repeat(37_500), "-".repeat(300_000) + "eyJ")) {
            assertThat(Redaction.redact(hostile + " grace.hopper@example.com")).as(hostile.substring(0, 20))
                    .isEqualTo(hostile + " " + Redaction.MASK);
            assertThat(Redaction.redact(hostile + " " + jwt)).as(hostile.substring(0, 20))
                    .isEqualTo(hostile + " " + Redaction.MASK);
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a regex cannot be interrupted
    @DisplayName("300 KB hostile lines (a word of keywords, quotes, separators) are redacted in one pass, field masked")
    void redactWhenHostileLongLinesThenFieldStillMaskedAndLinear() {
        for (String hostile : List.of("otp".repeat(100_000) + "1", "password_".repeat(33_000) + " ",
                "Password".repeat(37_500) + "\" ", "\"".repeat(300_000), "= : ".repeat(75_000),
                "password ".repeat(33_000), "password\"".repeat(33_000) + " ", "api-key".repeat(43_000) + " ")) {
            assertThat(Redaction.redact(hostile + "password=hunter2")).as(hostile.substring(0, 20))
                    .isEqualTo(hostile + "password=" + Redaction.MASK);
        }
    }

    @Test
    @DisplayName("the request line holds no shape: every pattern is skipped, and it comes out unchanged")
    void redactWhenRequestLineThenNoPatternRunsAndUnchanged() {
        String line = "{\"type\":\"request\",\"function\":\"token\","
                + "\"request_id\":\"7f3c2a1e-9b0d-4c55-8e21-0a1b2c3d4e5f\","
                + "\"route\":\"POST /oauth/token\",\"method\":\"POST\",\"status\":200,\"latency_ms\":3.41}";
        String verify = line.replace("/oauth/token", "/v1/api-keys/verify");

        assertThat(Redaction.redactSecretFields(line)).isSameAs(line);
        assertThat(Redaction.redactSecretFields(verify)).isSameAs(verify);
        assertThat(Redaction.hasBase32Run(line)).isFalse();
        assertThat(Redaction.redact(line)).isEqualTo(line);
        assertThat(Redaction.redact(verify)).isEqualTo(verify);
    }

    @Test
    @DisplayName("a secret-named field is masked in any case, spacing and quoting; api-key in three spellings")
    void redactSecretFieldsWhenFieldShapesThenMaskedAndNearMissesUnchanged() {
        for (String text : List.of("password=x", "\"Client_Secret\" : \"x\"", "ACCESS_TOKEN:\tx", "apikey=x",
                "api_key: x", "X-Api-Key: x", "{\"totp_secret\":\"x\"}", "Authorization: Basic x")) {
            assertThat(Redaction.redactSecretFields(text)).as(text).contains(Redaction.MASK);
            assertThat(Redaction.redact(text)).as(text).contains(Redaction.MASK);
        }
        for (String text : List.of("password", "token-ish: x", "api.key=x", "codes/of: x", "email\u00A0: x")) {
            assertThat(Redaction.redactSecretFields(text)).as(text).isSameAs(text);
        }
    }

    @Test
    @DisplayName("ASCII case folding only: a Kelvin sign or a dotless i never passes for a keyword's letter")
    void endOfWhenNonAsciiLookAlikesThenNoMatch() {
        assertThat(Redaction.endOf("xx BeArEr", 3, "bearer")).isEqualTo(9);
        assertThat(Redaction.endOf("api_\u212Aey", 4, "key")).isEqualTo(-1);
        assertThat(Redaction.endOf("bas\u0131c", 0, "basic")).isEqualTo(-1);
        assertThat(Redaction.endOf("toke", 0, "token")).isEqualTo(-1);
        assertThat(Redaction.mayHoldHttpCredential("Authorization: BASIC x")).isTrue();
        assertThat(Redaction.mayHoldHttpCredential("bas\u0131c b\u212Aearer")).isFalse();
    }

    /**
     * On 30,000 texts built from {@link #PIECES} (from {@code seed}), asserts that {@code actual} answers what
     * {@code expected} does; returns how many texts {@code expected} changed.
     */
    private static int changedAndAlike(long seed, UnaryOperator<String> actual, UnaryOperator<String> expected) {
        return changedAndAlike(PIECES, 30_000, seed, actual, expected);
    }

    /** The same on {@code texts} texts of 1 to 24 of {@code pieces}. */
    private static int changedAndAlike(List<String> pieces, int texts, long seed, UnaryOperator<String> actual,
            UnaryOperator<String> expected) {
        Random random = new Random(seed);
        int changed = 0;
        for (int i = 0; i < texts; i++) {
            StringBuilder text = new StringBuilder();
            int count = 1 + random.nextInt(24);
            for (int k = 0; k < count; k++) {
                text.append(pieces.get(random.nextInt(pieces.size())));
            }
            String input = text.toString();
            String wanted = expected.apply(input);
            assertThat(actual.apply(input)).as("%s", input).isEqualTo(wanted);
            if (!wanted.equals(input)) {
                changed++;
            }
        }
        return changed;
    }
}
