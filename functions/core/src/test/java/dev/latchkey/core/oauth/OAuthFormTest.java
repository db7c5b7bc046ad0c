package dev.latchkey.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.client.PresentedClientCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The strict form body (RFC 6749 Appendix B) and the one client-authentication method (RFC 6749 §2.3). */
class OAuthFormTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    private static OAuthForm parse(String contentType, String body) {
        return OAuthForm.parse(contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parseWhenEncodedThenDecodedAndEmptyCountsAsOmitted() {
        OAuthForm form = parse(FORM + "; charset=UTF-8", "a=x+y%21&b=&&c");
        assertThat(form.get("a")).contains("x y!");
        assertThat(form.get("b")).isEmpty();
        assertThat(form.get("c")).isEmpty();
    }

    @Test
    void parseWhenWrongTypeRepeatedOrMalformedThenInvalidRequestWithoutValue() {
        assertThat(catchThrowableOfType(OAuthError.class, () -> parse("application/json", "a=b")).description())
                .isEqualTo("Content-Type must be application/x-www-form-urlencoded.");
        assertThat(catchThrowableOfType(OAuthError.class, () -> parse(FORM, "token=s3cret&token=s3cret"))
                .description()).isEqualTo("Parameter token is repeated.").doesNotContain("s3cret");
        for (String body : new String[] {"a=%ZZ", "a=%", "a=%C3%28", "a=x%00"}) {
            OAuthError e = catchThrowableOfType(OAuthError.class, () -> parse(FORM, body));
            assertThat(e.code()).as(body).isEqualTo(OAuthError.Code.INVALID_REQUEST);
        }
    }

    @Test
    void requireWhenMissingThenInvalidRequestNamingIt() {
        assertThat(catchThrowableOfType(OAuthError.class, () -> OAuthForm.of(Map.of()).require("token"))
                .description()).isEqualTo("Missing parameter token.");
    }

    @Test
    void credentialsWhenBasicThenFormDecodedIdAndSecret() {
        String header = "Basic " + Base64.getEncoder().encodeToString("cli%3A1:s%2Bx".getBytes(StandardCharsets.UTF_8));
        Optional<PresentedClientCredentials> presented = ClientCredentialsParser.parse(Optional.of(header),
                OAuthForm.of(Map.of()));
        assertThat(presented).containsInstanceOf(PresentedClientCredentials.Secret.class);
        PresentedClientCredentials.Secret secret = (PresentedClientCredentials.Secret) presented.orElseThrow();
        assertThat(secret.clientId()).isEqualTo("cli:1");
        assertThat(secret.basic()).isTrue();
    }

    @Test
    void credentialsWhenBasicMalformedThenInvalidClientWithChallenge() {
        for (String header : new String[] {"Basic !!", "Bearer x", "Basic " + Base64.getEncoder()
                .encodeToString("no-colon".getBytes(StandardCharsets.UTF_8))}) {
            OAuthError e = catchThrowableOfType(OAuthError.class,
                    () -> ClientCredentialsParser.parse(Optional.of(header), OAuthForm.of(Map.of())));
            assertThat(e.status()).as(header).isEqualTo(401);
            assertThat(e.headers()).containsKey("www-authenticate");
        }
    }

    @Test
    void credentialsWhenAssertionTypeWrongOrBasicIdDiffersThenInvalidRequest() {
        assertThat(catchThrowableOfType(OAuthError.class, () -> ClientCredentialsParser.parse(Optional.empty(),
                OAuthForm.of(Map.of("client_assertion_type", "x", "client_assertion", "a.b.c")))).code())
                .isEqualTo(OAuthError.Code.INVALID_REQUEST);
        String header = "Basic " + Base64.getEncoder().encodeToString("a:b".getBytes(StandardCharsets.UTF_8));
        assertThat(catchThrowableOfType(OAuthError.class, () -> ClientCredentialsParser.parse(Optional.of(header),
                OAuthForm.of(Map.of("client_id", "c")))).description())
                .isEqualTo("client_id differs from the authenticated client.");
        assertThat(ClientCredentialsParser.parse(Optional.empty(), OAuthForm.of(Map.of()))).isEmpty();
    }
}
