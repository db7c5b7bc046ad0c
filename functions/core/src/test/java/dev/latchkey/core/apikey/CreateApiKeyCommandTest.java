package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.ratelimit.RateLimit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code POST /v1/orgs/{orgId}/api-keys} accepts: {@link CreateApiKeyCommand} validates itself. */
class CreateApiKeyCommandTest {

    @Test
    @DisplayName("a valid command is stripped and normalized")
    void commandWhenValidThenNormalized() {
        CreateApiKeyCommand command = ApiKeyFixture.command().name("  Deploy bot 🚀 ").description("  two\nlines  ")
                .permissions("run_inference", "api_key:read", "run_inference").expiresInDays(3650)
                .rateLimit(1_000_000, 86_400).build();

        assertThat(command.name()).isEqualTo("Deploy bot 🚀");
        assertThat(command.description()).contains("two\nlines");
        assertThat(command.permissions()).containsExactly("api_key:read", "run_inference");
        assertThat(command.expiresInDays()).contains(3650);
        assertThat(command.rateLimit()).contains(RateLimit.perSeconds(1_000_000, 86_400));
    }

    @Test
    @DisplayName("no permissions is allowed (a key that only identifies its caller); a blank description is none")
    void commandWhenNoPermissionsAndBlankDescriptionThenAccepted() {
        CreateApiKeyCommand command = ApiKeyFixture.command().permissions().description("   ").build();

        assertThat(command.permissions()).isEmpty();
        assertThat(command.description()).isEmpty();
        assertThat(command.expiresInDays()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n "})
    @DisplayName("a blank name is REQUIRED")
    void commandWhenNameBlankThenRequired(String name) {
        assertInvalid(() -> ApiKeyFixture.command().name(name).build(), "name", "REQUIRED");
    }

    @Test
    @DisplayName("a missing name is REQUIRED")
    void commandWhenNameNullThenRequired() {
        assertInvalid(() -> ApiKeyFixture.command().name(null).build(), "name", "REQUIRED");
    }

    @Test
    @DisplayName("names are at most 100 characters (code points, after stripping)")
    void commandWhenNameTooLongThenTooLong() {
        assertThat(ApiKeyFixture.command().name("n".repeat(100)).build().name()).hasSize(100);
        assertThat(ApiKeyFixture.command().name("😀".repeat(100)).build().name()).hasSize(200);
        assertThat(ApiKeyFixture.command().name("  " + "n".repeat(100) + "  ").build().name()).hasSize(100);
        assertInvalid(() -> ApiKeyFixture.command().name("n".repeat(101)).build(), "name", "TOO_LONG");
        assertInvalid(() -> ApiKeyFixture.command().name("😀".repeat(101)).build(), "name", "TOO_LONG");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "line\nbreak", "tab\there", "bell\u0007", "del\u007f", "c1\u0085x", "cr\rx"})
    @DisplayName("control characters in a name are refused, newlines included")
    void commandWhenNameHasControlCharactersThenInvalid(String name) {
        assertInvalid(() -> ApiKeyFixture.command().name(name).build(), "name", "INVALID_CHARACTERS");
    }

    @Test
    @DisplayName("a description is up to 500 characters, newlines allowed, other control characters not")
    void commandWhenDescriptionInvalidThenValidationError() {
        assertThat(ApiKeyFixture.command().description("d".repeat(500)).build().description()).isPresent();
        assertInvalid(() -> ApiKeyFixture.command().description("d".repeat(501)).build(), "description", "TOO_LONG");
        assertInvalid(() -> ApiKeyFixture.command().description("a\u0000b").build(), "description",
                "INVALID_CHARACTERS");
        assertInvalid(() -> ApiKeyFixture.command().description("a\tb").build(), "description", "INVALID_CHARACTERS");
    }

    @Test
    @DisplayName("permissions: a malformed entry names its index; null list is REQUIRED")
    void commandWhenPermissionMalformedThenInvalidFormatAtIndex() {
        assertAccessInvalid(() -> ApiKeyFixture.command().permissions("read_models", "Read").build(),
                "permissions[1]", "INVALID_FORMAT");
        assertAccessInvalid(() -> ApiKeyFixture.command().permissions("1read").build(), "permissions[0]",
                "INVALID_FORMAT");
        assertAccessInvalid(() -> ApiKeyFixture.command().permissions(Arrays.asList("a", "b", null)).build(),
                "permissions[2]", "INVALID_FORMAT");
        assertAccessInvalid(() -> ApiKeyFixture.command().permissions("a".repeat(65)).build(), "permissions[0]",
                "INVALID_FORMAT");
        assertAccessInvalid(() -> ApiKeyFixture.command().permissions((List<String>) null).build(), "permissions",
                "REQUIRED");
    }

    @Test
    @DisplayName("permissions: at most 50 distinct (duplicates do not count)")
    void commandWhenTooManyPermissionsThenTooMany() {
        List<String> fifty = IntStream.range(0, 50).mapToObj(i -> "scope_" + i).toList();
        List<String> withDuplicates = new ArrayList<>(fifty);
        withDuplicates.addAll(fifty);
        List<String> fiftyOne = new ArrayList<>(fifty);
        fiftyOne.add("scope_50");

        assertThat(ApiKeyFixture.command().permissions(fifty).build().permissions()).hasSize(50);
        assertThat(ApiKeyFixture.command().permissions(withDuplicates).build().permissions()).hasSize(50);
        assertAccessInvalid(() -> ApiKeyFixture.command().permissions(fiftyOne).build(), "permissions", "TOO_MANY");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 3651, Integer.MAX_VALUE})
    @DisplayName("expires_in_days is 1 to 3650")
    void commandWhenExpiresInDaysOutOfRangeThenOutOfRange(int days) {
        assertInvalid(() -> ApiKeyFixture.command().expiresInDays(days).build(), "expires_in_days", "OUT_OF_RANGE");
    }

    @Test
    @DisplayName("expires_in_days 1 and 3650 are accepted")
    void commandWhenExpiresInDaysAtBoundsThenAccepted() {
        assertThat(ApiKeyFixture.command().expiresInDays(1).build().expiresInDays()).contains(1);
        assertThat(ApiKeyFixture.command().expiresInDays(3650).build().expiresInDays()).contains(3650);
    }

    @Test
    @DisplayName("rate_limit: limit 1 to 1,000,000 and window 1 to 86,400 s, both required")
    void rateLimitWhenOutOfRangeOrMissingThenValidationError() {
        assertThat(CreateApiKeyCommand.rateLimit(1, 1)).isEqualTo(RateLimit.perSeconds(1, 1));
        assertThat(CreateApiKeyCommand.rateLimit(1_000_000, 86_400)).isEqualTo(RateLimit.perSeconds(1_000_000, 86_400));
        int[][] outOfRange = {{0, 60}, {-5, 60}, {1_000_001, 60}, {10, 0}, {10, -1}, {10, 86_401}};
        for (int[] values : outOfRange) {
            assertInvalid(() -> CreateApiKeyCommand.rateLimit(values[0], values[1]), "rate_limit", "OUT_OF_RANGE");
        }
        assertInvalid(() -> CreateApiKeyCommand.rateLimit(null, 60), "rate_limit", "REQUIRED");
        assertInvalid(() -> CreateApiKeyCommand.rateLimit(10, null), "rate_limit", "REQUIRED");
    }

    @Test
    @DisplayName("missing optionals are programming errors, not client errors")
    void commandWhenOptionalsNullThenNullPointer() {
        assertThatThrownBy(() -> new CreateApiKeyCommand("n", List.of(), null, Optional.empty(), Optional.empty()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new CreateApiKeyCommand("n", List.of(), Optional.empty(), null, Optional.empty()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new CreateApiKeyCommand("n", List.of(), Optional.empty(), Optional.empty(), null))
                .isInstanceOf(NullPointerException.class);
    }

    private static void assertInvalid(Runnable build, String field, String reason) {
        assertValidationError(build, ApiKeyException.class, field, reason);
    }

    private static void assertAccessInvalid(Runnable build, String field, String reason) {
        assertValidationError(build, AccessException.class, field, reason);
    }

    private static void assertValidationError(Runnable build, Class<? extends LatchkeyException> type, String field,
            String reason) {
        assertThatThrownBy(build::run).isInstanceOf(type).satisfies(thrown -> {
            LatchkeyException e = (LatchkeyException) thrown;
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.details()).containsEntry("field", field).containsEntry("reason", reason);
        });
    }
}
