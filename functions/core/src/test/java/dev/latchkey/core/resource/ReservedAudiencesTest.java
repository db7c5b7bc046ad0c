package dev.latchkey.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ReservedAudiences}: Latchkey's own URLs — the issuer, anything under or above it, every route of the
 * catalog, {@code /.well-known/} — are refused however they are spelled (issue 11 §2).
 */
class ReservedAudiencesTest {

    private static final ReservedAudiences ROOT = ReservedAudiences.forIssuer(URI.create("https://id.latchkey.test"));
    private static final ReservedAudiences WITH_PATH = ReservedAudiences.forIssuer(
            URI.create("https://example.com/auth"));
    private static final ReservedAudiences LOCAL = ReservedAudiences.forIssuer(URI.create("http://localhost:3000"));

    private static boolean reserved(ReservedAudiences reserved, String audience) {
        return reserved.isReserved(Audience.normalize(audience));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://id.latchkey.test", "https://id.latchkey.test/", "HTTPS://ID.Latchkey.TEST:443",
        "https://id.latchkey.test.", "https://id.latchkey.test/api", "https://id.latchkey.test//",
        "https://id.latchkey.test/v1/orgs/org_1", "https://id.latchkey.test/.well-known/jwks.json",
        "https://id.latchkey.test/a/../", "https://id.latchkey.test/%2e%2e/", "https://id.latchkey.test/%2F"})
    void isReservedWhenTheIssuerOrAnythingUnderItsRootThenTrue(String audience) {
        assertThat(reserved(ROOT, audience)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.example.com", "https://id.latchkey.test:8443", "https://latchkey.test",
        "https://id.latchkey.test.evil.example", "https://xid.latchkey.test/v1"})
    void isReservedWhenAnotherOriginThenFalse(String audience) {
        assertThat(reserved(ROOT, audience)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/auth", "https://example.com/auth/", "https://example.com/AUTH",
        "https://example.com/auth/anything", "https://example.com//auth", "https://example.com/x/../auth/",
        "https://example.com/%61uth", "https://example.com/%2561uth", "https://example.com/auth/./v1/orgs",
        "https://example.com", "https://example.com/", "https://example.com/oauth/token",
        "https://example.com/v1/orgs/org_1/resources", "https://example.com/%76%31/orgs/org_1/api-keys/x",
        "https://example.com/.well-known/oauth-authorization-server/auth", "https://example.com/.WELL-KNOWN/x",
        "https://example.com/health/live", "https://example.com/v1/api-keys/verify/sub"})
    void isReservedWhenUnderOrAboveAnIssuerWithAPathOrARouteThenTrue(String audience) {
        assertThat(reserved(WITH_PATH, audience)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/api", "https://example.com/authx", "https://example.com/v2/orgs",
        "https://example.com/v1", "https://example.com/orders/auth", "https://example.com/oauth"})
    void isReservedWhenAnotherPathOfTheIssuersOriginThenFalse(String audience) {
        assertThat(reserved(WITH_PATH, audience)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:3000", "http://127.0.0.1:3000/api", "http://LOCALHOST:3000/v1/orgs"})
    void isReservedWhenLoopbackUnderAnotherNameThenTrue(String audience) {
        assertThat(reserved(LOCAL, audience)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080/api", "http://localhost", "https://localhost:3000"})
    void isReservedWhenLoopbackOnAnotherPortOrSchemeThenFalse(String audience) {
        assertThat(reserved(LOCAL, audience)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void checkWhenReservedThenValidationErrorWithReasonReservedAudience() {
        assertThatThrownBy(() -> ROOT.check("https://id.latchkey.test/v1/orgs"))
                .isInstanceOfSatisfying(LatchkeyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).containsEntry("field", "audience")
                            .containsEntry("reason", "RESERVED_AUDIENCE");
                });
        ROOT.check("https://api.example.com");
    }
}
