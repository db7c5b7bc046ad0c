package dev.latchkey.core.principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Permission strings: {@code ^[a-z][a-z0-9_.:-]{0,63}$}, and a key's normalized list. */
class PermissionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "read_models", "api_key:read", "member:role:update", "a-b.c:d_e9", "x0", "z.",
        "billing:export-v2"})
    @DisplayName("well-formed permissions")
    void isValidWhenWellFormedThenTrue(String permission) {
        assertThat(Permissions.isValid(permission)).isTrue();
    }

    @Test
    @DisplayName("64 characters are fine, 65 are not")
    void isValidWhenLengthAtBoundThen64OkAnd65Not() {
        assertThat(Permissions.isValid("a" + "b".repeat(63))).isTrue();
        assertThat(Permissions.isValid("a" + "b".repeat(64))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Read", "READ_MODELS", "read_Models", "1read", "9", "_read", ":read", "-read", ".read",
        "read models", "read/models", "read\nmodels", "read\u0000", "rëad", "read*", "read#1", " read", "read ",
        "lk_export",
        "lk_"})
    @DisplayName("malformed: upper case, a leading digit or symbol, spaces, slashes, non-ASCII, control characters, "
            + "the reserved API-key prefix lk_")
    void isValidWhenMalformedThenFalse(String permission) {
        assertThat(Permissions.isValid(permission)).isFalse();
    }

    @Test
    @DisplayName("null is not a permission")
    void isValidWhenNullThenFalse() {
        assertThat(Permissions.isValid(null)).isFalse();
    }

    @Test
    @DisplayName("normalize sorts and removes duplicates")
    void normalizeWhenUnsortedWithDuplicatesThenSortedDistinct() {
        assertThat(Permissions.normalize(List.of("run_inference", "api_key:read", "read_models", "api_key:read",
                "run_inference"))).containsExactly("api_key:read", "read_models", "run_inference");
        assertThat(Permissions.normalize(List.of())).isEmpty();
    }

    @Test
    @DisplayName("normalize names the first bad entry by its index in the request")
    void normalizeWhenMalformedThenValidationErrorWithIndex() {
        assertInvalid(List.of("read_models", "read_models", "Bad"), "permissions[2]", "INVALID_FORMAT");
        assertInvalid(Arrays.asList("read_models", null), "permissions[1]", "INVALID_FORMAT");
        assertInvalid(List.of("1bad", "Bad"), "permissions[0]", "INVALID_FORMAT");
        assertInvalid(null, "permissions", "REQUIRED");
    }

    @Test
    @DisplayName("normalize allows 50 distinct permissions, not 51; duplicates do not count")
    void normalizeWhenMoreThanFiftyThenTooMany() {
        List<String> fifty = IntStream.range(0, Permissions.MAX_PER_KEY).mapToObj(i -> "p" + i).toList();
        List<String> twice = new ArrayList<>(fifty);
        twice.addAll(fifty);
        List<String> fiftyOne = new ArrayList<>(fifty);
        fiftyOne.add("p50");

        assertThat(Permissions.normalize(fifty)).hasSize(50);
        assertThat(Permissions.normalize(twice)).hasSize(50);
        assertInvalid(fiftyOne, "permissions", "TOO_MANY");
    }

    @Test
    @DisplayName("the result cannot be changed")
    void normalizeWhenResultModifiedThenRefused() {
        List<String> normalized = Permissions.normalize(List.of("a"));
        assertThatThrownBy(() -> normalized.add("b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("Latchkey's own permissions: the fifteen ARCHITECTURE.md §6 names and issue 6's team and resource "
            + "ones, all well-formed")
    void latchkeyWhenListedThenNineteenWellFormed() {
        assertThat(Permissions.LATCHKEY).containsExactlyInAnyOrder("org:read", "org:update", "org:delete",
                "member:read", "member:invite", "member:remove", "member:role:update", "api_key:read",
                "api_key:create", "api_key:revoke", "api_key:delete", "client:read", "client:create", "client:delete",
                "audit_log:view", "team:read", "team:manage", "resource:read", "resource:manage");
        assertThat(Permissions.LATCHKEY).allMatch(Permissions::isValid).allMatch(Permissions::isLatchkey);
        assertThat(Permissions.isLatchkey("read_models")).isFalse();
        assertThat(Permissions.isLatchkey("API_KEY:READ")).isFalse();
    }

    private static void assertInvalid(List<String> permissions, String field, String reason) {
        assertThatThrownBy(() -> Permissions.normalize(permissions)).isInstanceOfSatisfying(AccessException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).containsEntry("field", field).containsEntry("reason", reason);
                });
    }
}
