package dev.latchkey.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Strict request-body reading. Every rejection must be a {@code VALIDATION_ERROR} whose message and
 * details never repeat the offending value ([16.5.1]).
 */
class JsonTest {

    private static final String SECRET = "hunter2-secret";

    /** A sign-up form: camelCase components bound from snake_case JSON. */
    record SignUp(String email, String displayName, int age, boolean marketingOptIn, List<String> tags) {
    }

    record Login(String email, String password) {
    }

    record Counter(int count) {
    }

    record Wrapper(Login login) {
    }

    /** Validates itself, as command records do. */
    record Named(String name) {
        Named {
            if (name == null || name.isBlank()) {
                throw RequestException.invalid("Field 'name' is required.", Map.of("field", "name"));
            }
        }
    }

    /** Fails with a non-Latchkey exception that carries the input (a bug the reader must not leak). */
    record Leaky(String name) {
        Leaky {
            throw new IllegalArgumentException("bad name " + name);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static RequestException rejected(ThrowingCallable call) {
        RequestException e = catchThrowableOfType(RequestException.class, call);
        assertThat(e).as("expected a RequestException").isNotNull();
        return e;
    }

    /** Reads {@code json} into {@code type}, expecting a VALIDATION_ERROR that does not echo {@link #SECRET}. */
    private static RequestException invalid(String json, Class<?> type) {
        return invalid(utf8(json), type);
    }

    private static RequestException invalid(byte[] json, Class<?> type) {
        RequestException e = rejected(() -> Json.read(json, type));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.code().status()).isEqualTo(400);
        assertThat(e.getMessage()).isNotBlank().doesNotContain(SECRET).doesNotContain("hunter2");
        assertThat(String.valueOf(e.details())).doesNotContain(SECRET).doesNotContain("hunter2");
        assertThat(e.getCause()).as("the parser's exception is not kept").isNull();
        return e;
    }

    private static HttpRequest withContentType(String contentType, String body) {
        return HttpRequest.builder("POST", "/v1/auth/login")
                .headers(contentType == null ? Headers.empty() : Headers.ofPairs("Content-Type", contentType))
                .body(utf8(body))
                .build();
    }

    @Test
    void readWhenSnakeCaseBodyValidThenBindsToCamelCaseRecord() {
        SignUp signUp = Json.read(utf8("""
                {"email":"a@example.com","display_name":"Ada","age":36,"marketing_opt_in":true,"tags":["x","y"]}
                """), SignUp.class);

        assertThat(signUp).isEqualTo(new SignUp("a@example.com", "Ada", 36, true, List.of("x", "y")));
    }

    @Test
    void writeWhenRecordThenSnakeCase() {
        String json = new String(Json.write(new SignUp("a@example.com", "Ada", 36, false, List.of())),
                StandardCharsets.UTF_8);

        assertThat(json).contains("\"display_name\":\"Ada\"", "\"marketing_opt_in\":false");
    }

    @Test
    @DisplayName("[16.5.1] malformed JSON → 400 VALIDATION_ERROR without the offending token")
    void readWhenMalformedThenValidationError() {
        RequestException e = invalid("{\"email\":\"a@example.com\",\"password\":hunter2-secret}", Login.class);

        assertThat(e.getMessage()).isEqualTo("Request body is not valid JSON.");
    }

    @Test
    @DisplayName("[16.5.1] unterminated JSON → 400 VALIDATION_ERROR")
    void readWhenTruncatedThenValidationError() {
        invalid("{\"email\":\"a@example.com\",\"password\":\"hunter2-secret", Login.class);
    }

    @Test
    @DisplayName("[16.5.1] content after the JSON value → 400 VALIDATION_ERROR")
    void readWhenTrailingContentThenValidationError() {
        RequestException e = invalid("{\"email\":\"a\",\"password\":\"p\"} {\"password\":\"hunter2-secret\"}",
                Login.class);

        assertThat(e.getMessage()).isEqualTo("Request body has content after the JSON value.");
    }

    @Test
    @DisplayName("[16.5.1] duplicate key → 400 VALIDATION_ERROR")
    void readWhenDuplicateKeyThenValidationError() {
        RequestException e = invalid("{\"email\":\"a\",\"password\":\"p\",\"password\":\"hunter2-secret\"}",
                Login.class);

        assertThat(e.getMessage()).isEqualTo("Request body has a duplicate field.");
    }

    @Test
    @DisplayName("[16.5.1] duplicate key in a nested object → 400 VALIDATION_ERROR")
    void readWhenNestedDuplicateKeyThenValidationError() {
        RequestException e = invalid("{\"login\":{\"email\":\"a\",\"email\":\"hunter2-secret\"}}", Wrapper.class);

        assertThat(e.getMessage()).isEqualTo("Request body has a duplicate field.");
    }

    @Test
    @DisplayName("[16.5.1] unknown field → 400 VALIDATION_ERROR naming the field, not its value")
    void readWhenUnknownFieldThenValidationErrorWithoutValue() {
        RequestException e = invalid("{\"email\":\"a\",\"password\":\"p\",\"pwd\":\"hunter2-secret\"}", Login.class);

        assertThat(e.getMessage()).isEqualTo("Unknown field 'pwd'.");
        assertThat(e.details()).isEqualTo(Map.of("field", "pwd"));
    }

    @Test
    @DisplayName("[16.5.1] unknown field name with control characters is cleaned and capped")
    void readWhenUnknownFieldNameHostileThenCleanedAndCapped() {
        String longName = "x".repeat(200);

        RequestException e = invalid("{\"" + longName + "\\n\\u001b[31m\":1}", Counter.class);

        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\u001b");
        assertThat((String) e.details().get("field")).hasSizeLessThanOrEqualTo(64);
    }

    @Test
    @DisplayName("[16.5.1] number into a string field → 400 VALIDATION_ERROR")
    void readWhenNumberIntoStringThenValidationError() {
        RequestException e = invalid("{\"email\":\"a\",\"password\":1234567}", Login.class);

        assertThat(e.getMessage()).isEqualTo("Field 'password' has the wrong type or is missing.");
        assertThat(e.details()).isEqualTo(Map.of("field", "password"));
    }

    @Test
    @DisplayName("[16.5.1] float into a string field → 400 VALIDATION_ERROR")
    void readWhenFloatIntoStringThenValidationError() {
        invalid("{\"email\":\"a\",\"password\":12.5}", Login.class);
    }

    @Test
    @DisplayName("[16.5.1] string into an int field → 400 VALIDATION_ERROR without the value")
    void readWhenStringIntoIntThenValidationError() {
        RequestException e = invalid("{\"count\":\"hunter2-secret\"}", Counter.class);

        assertThat(e.details()).isEqualTo(Map.of("field", "count"));
    }

    @Test
    @DisplayName("[16.5.1] fractional number into an int field → 400 VALIDATION_ERROR (never truncated)")
    void readWhenFloatIntoIntThenValidationError() {
        RequestException e = invalid("{\"count\":7.5}", Counter.class);

        assertThat(e.details()).isEqualTo(Map.of("field", "count"));
        invalid("{\"count\":7.0}", Counter.class);
    }

    @Test
    @DisplayName("[16.5.1] numeric string into an int field → 400 VALIDATION_ERROR (no coercion)")
    void readWhenNumericStringIntoIntThenValidationError() {
        invalid("{\"count\":\"42\"}", Counter.class);
    }

    @Test
    @DisplayName("[16.5.1] boolean into a string field → 400 VALIDATION_ERROR")
    void readWhenBooleanIntoStringThenValidationError() {
        RequestException e = invalid("{\"email\":true,\"password\":\"hunter2-secret\"}", Login.class);

        assertThat(e.details()).isEqualTo(Map.of("field", "email"));
    }

    @Test
    @DisplayName("[16.5.1] array or object into a string field → 400 VALIDATION_ERROR without the value")
    void readWhenContainerIntoStringThenValidationError() {
        invalid("{\"email\":\"a\",\"password\":[\"hunter2-secret\"]}", Login.class);
        invalid("{\"email\":\"a\",\"password\":{\"v\":\"hunter2-secret\"}}", Login.class);
    }

    @Test
    @DisplayName("[16.5.1] wrong type in a nested object → field path in details")
    void readWhenNestedWrongTypeThenFieldPathReported() {
        RequestException e = invalid("{\"login\":{\"email\":\"a\",\"password\":false}}", Wrapper.class);

        assertThat(e.details()).isEqualTo(Map.of("field", "login.password"));
    }

    @Test
    @DisplayName("[16.5.1] null into a primitive → 400 VALIDATION_ERROR")
    void readWhenNullIntoPrimitiveThenValidationError() {
        RequestException e = invalid("{\"count\":null}", Counter.class);

        assertThat(e.details()).isEqualTo(Map.of("field", "count"));
    }

    @Test
    @DisplayName("[16.5.1] nesting of 32 levels is accepted")
    void readWhenNestedAtLimitThenAccepted() {
        JsonNode node = Json.read(utf8("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH)), JsonNode.class);

        assertThat(node.isArray()).isTrue();
    }

    @Test
    @DisplayName("[16.5.1] nesting deeper than 32 → 400 VALIDATION_ERROR")
    void readWhenNestedTooDeepThenValidationError() {
        int depth = Json.MAX_DEPTH + 1;

        RequestException e = invalid("[".repeat(depth) + "]".repeat(depth), JsonNode.class);

        assertThat(e.getMessage()).isEqualTo("Request body is nested too deeply (at most 32 levels).");
    }

    @Test
    @DisplayName("[16.5.1] deeply nested objects (10,000 levels) → 400, no StackOverflowError")
    void readWhenNestedVeryDeepThenValidationError() {
        int depth = 10_000;

        RequestException e = invalid("{\"a\":".repeat(depth) + "1" + "}".repeat(depth), JsonNode.class);

        assertThat(e.getMessage()).contains("nested too deeply");
    }

    @Test
    @DisplayName("[16.5.1] invalid UTF-8 (0xC3 0x28) → 400 VALIDATION_ERROR")
    void readWhenInvalidUtf8ThenValidationError() {
        byte[] body = {'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'};

        RequestException e = invalid(body, Login.class);

        assertThat(e.getMessage()).isEqualTo("Request body is not valid UTF-8.");
    }

    @Test
    @DisplayName("[16.5.1] overlong UTF-8 encoding of '/' (0xC0 0xAF) → 400 VALIDATION_ERROR")
    void readWhenOverlongUtf8ThenValidationError() {
        byte[] body = {'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};

        assertThat(invalid(body, Login.class).getMessage()).isEqualTo("Request body is not valid UTF-8.");
    }

    @Test
    @DisplayName("[16.5.1] NUL escaped as \\u0000 in a value → 400 VALIDATION_ERROR")
    void readWhenNulInValueThenValidationError() {
        RequestException e = invalid("{\"email\":\"a@example.com\\u0000.evil\",\"password\":\"p\"}", Login.class);

        assertThat(e.getMessage()).isEqualTo("Request body contains a NUL character.");
    }

    @Test
    @DisplayName("[16.5.1] NUL escaped as \\u0000 in a key → 400 VALIDATION_ERROR")
    void readWhenNulInKeyThenValidationError() {
        RequestException e = invalid("{\"email\\u0000\":\"a\",\"password\":\"p\"}", Login.class);

        assertThat(e.getMessage()).isEqualTo("Request body contains a NUL character.");
    }

    @Test
    @DisplayName("[16.5.1] NUL inside an array element → 400 VALIDATION_ERROR")
    void readWhenNulInArrayThenValidationError() {
        RequestException e = invalid("""
                {"email":"a","display_name":"b","age":1,"marketing_opt_in":false,"tags":["ok","x\\u0000"]}
                """, SignUp.class);

        assertThat(e.getMessage()).isEqualTo("Request body contains a NUL character.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udc00", "a\\ud83d", "\\ude00a", "\\udc00\\ud800", "x\\ud800\\ud800y"})
    @DisplayName("issue 11 §4: an unpaired surrogate escape in any string → 400 VALIDATION_ERROR UNPAIRED_SURROGATE")
    void readWhenUnpairedSurrogateInValueThenValidationError(String escaped) {
        RequestException e = invalid("{\"email\":\"" + escaped + "\",\"password\":\"p\"}", Login.class);

        assertThat(e.details()).containsEntry("reason", "UNPAIRED_SURROGATE");
    }

    @Test
    @DisplayName("issue 11 §4: unpaired surrogates in a key, an array element and a nested object are refused too")
    void readWhenUnpairedSurrogateAnywhereThenValidationError() {
        invalid("{\"email\\ud800\":\"a\",\"password\":\"p\"}", JsonNode.class);
        invalid("{\"tags\":[\"ok\",\"\\udfff\"]}", JsonNode.class);
        invalid("{\"login\":{\"email\":\"\\ud800\",\"password\":\"p\"}}", Wrapper.class);
    }

    @Test
    @DisplayName("issue 11 §4: a proper surrogate pair, escaped or raw, is a character like any other")
    void readWhenSurrogatePairThenAccepted() {
        Login escaped = Json.read(utf8("{\"email\":\"\\ud83d\\ude00\",\"password\":\"p\"}"), Login.class);
        Login raw = Json.read(utf8("{\"email\":\"\uD83D\uDE00\",\"password\":\"p\"}"), Login.class);

        assertThat(escaped.email()).isEqualTo("\uD83D\uDE00").isEqualTo(raw.email());
    }

    @Test
    @DisplayName("issue 11 §4: a UTF-8-encoded surrogate (CESU-8, 0xED 0xA0 0x80) → 400, not valid UTF-8")
    void readWhenEncodedSurrogateBytesThenValidationError() {
        byte[] body = {'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"',
            '}'};

        assertThat(invalid(body, Login.class).getMessage()).isEqualTo("Request body is not valid UTF-8.");
    }

    @Test
    @DisplayName("[16.5.1] raw NUL byte → 400 VALIDATION_ERROR")
    void readWhenRawNulByteThenValidationError() {
        invalid(new byte[] {'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', 0, '"', '}'}, Login.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    @DisplayName("[16.5.1] empty body → 400 VALIDATION_ERROR")
    void readWhenBodyEmptyThenValidationError(String body) {
        invalid(body, Login.class);
    }

    @Test
    @DisplayName("[16.5.1] JSON null as the whole body → 400 VALIDATION_ERROR, never a null command")
    void readWhenBodyIsJsonNullThenValidationError() {
        invalid("null", Login.class);
    }

    @Test
    @DisplayName("[16.5.1] array where an object is expected → 400 VALIDATION_ERROR")
    void readWhenTopLevelShapeWrongThenValidationError() {
        invalid("[\"hunter2-secret\"]", Login.class);
    }

    @Test
    void readWhenRecordConstructorThrowsRequestExceptionThenItSurfacesUnchanged() {
        RequestException e = rejected(() -> Json.read(utf8("{\"name\":\" \"}"), Named.class));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("Field 'name' is required.");
        assertThat(e.details()).isEqualTo(Map.of("field", "name"));
    }

    @Test
    @DisplayName("[16.5.1] a constructor's own exception message is never shown")
    void readWhenRecordConstructorThrowsOtherExceptionThenGenericValidationError() {
        RequestException e = invalid("{\"name\":\"hunter2-secret\"}", Leaky.class);

        assertThat(e.getMessage()).isEqualTo("Request body is not valid for this operation.");
    }

    @Test
    void readBodyWhenContentTypeJsonThenRead() {
        Login login = Json.readBody(withContentType("application/json", "{\"email\":\"a\",\"password\":\"p\"}"),
                Login.class);

        assertThat(login).isEqualTo(new Login("a", "p"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=utf-8", "application/json;charset=UTF-8",
        "Application/JSON", "application/json; charset=\"utf-8\""})
    void readBodyWhenJsonWithUtf8CharsetThenAccepted(String contentType) {
        assertThat(Json.readBody(withContentType(contentType, "{\"count\":3}"), Counter.class))
                .isEqualTo(new Counter(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=latin1", "application/json; charset=iso-8859-1",
        "text/plain", "application/x-www-form-urlencoded", "application/jsonp", "text/json", ""})
    @DisplayName("[16.5.1] wrong content type → 415 UNSUPPORTED_MEDIA_TYPE")
    void readBodyWhenContentTypeNotJsonThenUnsupportedMediaType(String contentType) {
        RequestException e = rejected(() -> Json.readBody(withContentType(contentType, "{\"count\":3}"),
                Counter.class));

        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(e.code().status()).isEqualTo(415);
    }

    @Test
    @DisplayName("[16.5.1] missing content type → 415 UNSUPPORTED_MEDIA_TYPE")
    void readBodyWhenContentTypeMissingThenUnsupportedMediaType() {
        RequestException e = rejected(() -> Json.readBody(withContentType(null, "{\"count\":3}"), Counter.class));

        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    @DisplayName("[16.5.1] JSON content type with a bad body → 400, checked after the media type")
    void readBodyWhenJsonContentTypeAndBadBodyThenValidationError() {
        RequestException e = rejected(() -> Json.readBody(withContentType("application/json", "{\"count\":"),
                Counter.class));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
    }
}
