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
 * {@link Redaction}'s necessary conditions only skip patterns that cannot match: on every text its output is the
 * patterns' own ({@link Redaction#redactByPatternsOnly}). {@code LogRedactionTest} covers the shapes through the
 * real log paths.
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
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a regex cannot be interrupted
    @DisplayName("a long word of keywords before a real field is redacted without a match attempt from every letter")
    void redactWhenLongRunOfKeywordsThenFieldStillMaskedAndNoBacktrackingBlowUp() {
        String hostile = "otp".repeat(3_000) + "1 password=hunter2";

        assertThat(Redaction.redact(hostile)).endsWith("password=" + Redaction.MASK)
                .startsWith("otp".repeat(3_000));
    }

    @Test
    @DisplayName("the request line holds no shape: every pattern is skipped, and it comes out unchanged")
    void redactWhenRequestLineThenNoPatternRunsAndUnchanged() {
        String line = "{\"type\":\"request\",\"function\":\"token\","
                + "\"request_id\":\"7f3c2a1e-9b0d-4c55-8e21-0a1b2c3d4e5f\","
                + "\"route\":\"POST /oauth/token\",\"method\":\"POST\",\"status\":200,\"latency_ms\":3.41}";
        String verify = line.replace("/oauth/token", "/v1/api-keys/verify");

        assertThat(Redaction.mayHoldSecretField(line)).isFalse();
        assertThat(Redaction.mayHoldSecretField(verify)).isFalse();
        assertThat(Redaction.hasBase32Run(line)).isFalse();
        assertThat(Redaction.redact(line)).isEqualTo(line);
        assertThat(Redaction.redact(verify)).isEqualTo(verify);
    }

    @Test
    @DisplayName("a secret-named field is recognised in any case, spacing and quoting; api-key in three spellings")
    void mayHoldSecretFieldWhenFieldShapesThenTrue() {
        for (String text : List.of("password=x", "\"Client_Secret\" : \"x\"", "ACCESS_TOKEN:\tx", "apikey=x",
                "api_key: x", "X-Api-Key: x", "{\"totp_secret\":\"x\"}", "Authorization: Basic x")) {
            assertThat(Redaction.mayHoldSecretField(text)).as(text).isTrue();
            assertThat(Redaction.redact(text)).as(text).contains(Redaction.MASK);
        }
        for (String text : List.of("password", "token-ish: x", "api.key=x", "codes/of: x", "email\u00A0: x")) {
            assertThat(Redaction.mayHoldSecretField(text)).as(text).isFalse();
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
        Random random = new Random(seed);
        int changed = 0;
        for (int i = 0; i < 30_000; i++) {
            StringBuilder text = new StringBuilder();
            int pieces = 1 + random.nextInt(24);
            for (int k = 0; k < pieces; k++) {
                text.append(PIECES.get(random.nextInt(PIECES.size())));
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
