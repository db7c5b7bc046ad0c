package dev.latchkey.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Audience}: the canonical form and every refusal, with its reason. */
class AudienceTest {

    @ParameterizedTest
    @CsvSource({
        "https://api.example.com, https://api.example.com",
        "HTTPS://API.Example.COM/V1/Path, https://api.example.com/V1/Path",
        "https://api.example.com:443/, https://api.example.com/",
        "https://api.example.com:8443/x, https://api.example.com:8443/x",
        "http://localhost:8080/api, http://localhost:8080/api",
        "http://127.0.0.1, http://127.0.0.1",
        "http://LOCALHOST:80, http://localhost",
    })
    void normalizeWhenValidThenCanonical(String text, String expected) {
        assertThat(Audience.normalize(text)).isEqualTo(expected);
        assertThat(Audience.normalize(expected)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "'', REQUIRED",
        "api.example.com, NOT_ABSOLUTE",
        "/relative, NOT_ABSOLUTE",
        "urn:example:api, NOT_ABSOLUTE",
        "http://api.example.com, SCHEME",
        "ftp://api.example.com, SCHEME",
        "https://api.example.com/#frag, FRAGMENT",
        "https://user:pw@api.example.com, USERINFO",
        "https://api.example.com/?a=b, QUERY",
        "https://api example.com, INVALID_CHARACTERS",
        "https://bücher.example, INVALID_CHARACTERS",
        "https://api.example.com/%zz, INVALID_URI",
    })
    void normalizeWhenInvalidThenReason(String text, String reason) {
        assertThatThrownBy(() -> Audience.normalize(text)).isInstanceOfSatisfying(ResourceException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.details()).containsEntry("field", "audience").containsEntry("reason", reason);
        });
        assertThat(Audience.parse(text)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void normalizeWhenLongerThan255ThenTooLong() {
        String longest = "https://api.example.com/" + "a".repeat(255 - 24);
        assertThat(Audience.normalize(longest)).hasSize(255);
        assertThatThrownBy(() -> Audience.normalize(longest + "a")).isInstanceOfSatisfying(LatchkeyException.class,
                e -> assertThat(e.details()).containsEntry("reason", "TOO_LONG"));
    }
}
