package dev.latchkey.core.sso;

import static dev.latchkey.core.sso.SsoFixture.REDIRECT;
import static dev.latchkey.core.sso.SsoFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.sso.AuthorizationRequest.Prompt;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The authorization request's validation (OpenID Connect Core §3.1.2.2, RFC 6749 §4.1.2.1, RFC 9700 §2.1.1, §4.11):
 * what goes to the error page and what to the redirect URI, with {@code iss} (RFC 9207).
 */
class ValidateAuthorizationRequestTest {

    private final SsoFixture f = new SsoFixture();
    private static final String ISS = "iss=" + URLEncoder.encode(SessionFixture.ISSUER, StandardCharsets.UTF_8);

    private AuthorizeOutcome refused(Map<String, List<String>> parameters) {
        var validation = f.validate.validate(parameters);
        assertThat(validation).isInstanceOf(ValidateAuthorizationRequest.Refused.class);
        return ((ValidateAuthorizationRequest.Refused) validation).outcome();
    }

    private String redirected(String... extra) {
        AuthorizeOutcome outcome = refused(request(extra));
        assertThat(outcome).isInstanceOf(AuthorizeOutcome.Redirect.class);
        return ((AuthorizeOutcome.Redirect) outcome).location();
    }

    private AuthorizationError page(Map<String, List<String>> parameters) {
        AuthorizeOutcome outcome = refused(parameters);
        assertThat(outcome).as("never redirected").isInstanceOf(AuthorizeOutcome.ErrorPage.class);
        return ((AuthorizeOutcome.ErrorPage) outcome).error();
    }

    @Test
    void validateWhenEverythingIsRightThenTheRequestWithEveryParameter() {
        AuthorizationRequest request = f.valid("prompt", "consent", "max_age", "300", "login_hint", "ada@example.com",
                "ui_locales", "fr-CA en", "acr_values", "urn:latchkey:acr:mfa");

        assertThat(request.client().clientId()).isEqualTo("app_first");
        assertThat(request.scope()).containsExactly("openid", "email");
        assertThat(request.state()).contains("st-1");
        assertThat(request.nonce()).contains("n-1");
        assertThat(request.prompt()).containsExactly(Prompt.CONSENT);
        assertThat(request.maxAge()).contains(Duration.ofSeconds(300));
        assertThat(request.loginHint()).contains("ada@example.com");
        assertThat(request.uiLocales()).contains("fr-CA en");
        assertThat(request.acrValues()).contains("urn:latchkey:acr:mfa");
    }

    @Test
    void validateWhenUnknownClientThenErrorPageNotRedirect() {
        assertThat(page(request("client_id", "app_nobody")).error()).isEqualTo(AuthorizationError.INVALID_CLIENT);
        assertThat(page(request("client_id", null)).error()).isEqualTo(AuthorizationError.INVALID_REQUEST);
    }

    @Test
    void validateWhenWrongOrMissingRedirectUriThenErrorPageNotRedirect() {
        assertThat(page(request("redirect_uri", "https://evil.example/cb")).description()).contains("redirect_uri");
        assertThat(page(request("redirect_uri", REDIRECT + "/")).error()).isEqualTo(AuthorizationError.INVALID_REQUEST);
        assertThat(page(request("redirect_uri", "https://rp.example/cb?x=1")).error()).isNotBlank();
        assertThat(page(request("redirect_uri", null)).error()).isEqualTo(AuthorizationError.INVALID_REQUEST);
        assertThat(page(request("client_id", "app_third")).description()).as("another client's URI")
                .contains("redirect_uri");
    }

    @Test
    void validateWhenRepeatedClientIdThenErrorPage() {
        var parameters = new java.util.LinkedHashMap<>(request());
        parameters.put("client_id", List.of("app_first", "app_third"));
        assertThat(page(parameters).error()).isEqualTo(AuthorizationError.INVALID_REQUEST);
    }

    @Test
    void validateWhenMissingPkceThenInvalidRequestToTheRedirectUriWithStateAndIss() {
        String location = redirected("code_challenge", null);

        assertThat(location).startsWith(REDIRECT + "?error=invalid_request&error_description=")
                .contains("code_challenge").endsWith("&state=st-1&" + ISS);
    }

    @Test
    void validateWhenPlainPkceOrNoMethodThenInvalidRequest() {
        assertThat(redirected("code_challenge_method", "plain")).contains("error=invalid_request")
                .contains("S256");
        assertThat(redirected("code_challenge_method", null)).contains("error=invalid_request");
        assertThat(redirected("code_challenge", "short")).contains("error=invalid_request");
    }

    @Test
    void validateWhenResponseTypeIsNotCodeThenUnsupportedResponseType() {
        for (String type : List.of("token", "id_token", "code id_token", "code token", "none")) {
            assertThat(redirected("response_type", type)).as(type)
                    .contains("error=unsupported_response_type").contains(ISS);
        }
        assertThat(redirected("response_type", null)).contains("error=invalid_request");
    }

    @Test
    void validateWhenScopeWithoutOpenidOrNotAllowedThenInvalidScope() {
        assertThat(redirected("scope", "email")).contains("error=invalid_scope");
        assertThat(redirected("scope", "openid admin")).contains("error=invalid_scope");
        assertThat(redirected("client_id", "app_third", "redirect_uri", "https://third.example/cb",
                "scope", "openid offline_access")).startsWith("https://third.example/cb?error=invalid_scope");
    }

    @Test
    void validateWhenPromptIsUnknownOrNoneWithAnotherThenInvalidRequest() {
        assertThat(redirected("prompt", "none login")).contains("error=invalid_request");
        assertThat(redirected("prompt", "sometimes")).contains("error=invalid_request");
        assertThat(redirected("prompt", "LOGIN")).contains("error=invalid_request");
        assertThat(f.valid("prompt", "login consent").prompt()).containsExactlyInAnyOrder(Prompt.LOGIN,
                Prompt.CONSENT);
    }

    @Test
    void validateWhenMaxAgeIsNotANonNegativeIntegerThenInvalidRequest() {
        assertThat(redirected("max_age", "-1")).contains("error=invalid_request");
        assertThat(redirected("max_age", "soon")).contains("error=invalid_request");
        assertThat(f.valid("max_age", "0").maxAge()).contains(Duration.ZERO);
    }

    @Test
    void validateWhenRequestObjectsOrOtherResponseModesThenRefusedToTheRedirectUri() {
        assertThat(redirected("request", "eyJ.x.y")).contains("error=request_not_supported");
        assertThat(redirected("request_uri", "urn:x")).contains("error=request_uri_not_supported");
        assertThat(redirected("registration", "{}")).contains("error=registration_not_supported");
        assertThat(redirected("response_mode", "fragment")).contains("error=invalid_request");
        assertThat(redirected("response_mode", "form_post")).contains("error=invalid_request");
        assertThat(f.valid("response_mode", "query").redirectUri()).isEqualTo(REDIRECT);
    }

    @Test
    void validateWhenAParameterIsRepeatedOrTooLongThenInvalidRequest() {
        var parameters = new java.util.LinkedHashMap<>(request());
        parameters.put("scope", List.of("openid", "openid email"));
        AuthorizeOutcome outcome = refused(parameters);
        assertThat(((AuthorizeOutcome.Redirect) outcome).location()).contains("error=invalid_request");
        assertThat(redirected("nonce", "n".repeat(ValidateAuthorizationRequest.MAX_VALUE_LENGTH + 1)))
                .contains("error=invalid_request");
    }

    @Test
    void validateWhenTheRedirectUriHasAQueryThenTheErrorIsAppendedToIt() {
        f.clients.put("app_q", new RelyingParty("app_q", "Q", new dev.latchkey.core.authorize.RedirectUris(
                List.of("https://q.example/cb?tenant=7")), List.of(), true, java.util.Set.of("openid")));
        assertThat(redirected("client_id", "app_q", "redirect_uri", "https://q.example/cb?tenant=7",
                "response_type", "token")).startsWith("https://q.example/cb?tenant=7&error=unsupported_response_type");
    }

    @Test
    void validateWhenNativeLoopbackRedirectOnAnotherPortThenAccepted() {
        assertThat(f.valid("redirect_uri", "http://127.0.0.1:53124/cb").redirectUri())
                .isEqualTo("http://127.0.0.1:53124/cb");
    }

    @Test
    void queryAfterSignInWhenPromptLoginAndMaxAgeThenBothDroppedAndConsentKept() {
        AuthorizationRequest request = f.valid("prompt", "login consent", "max_age", "0");

        assertThat(request.queryAfterSignIn()).doesNotContain("max_age").doesNotContain("login")
                .contains("prompt=consent").contains("client_id=app_first");
        assertThat(f.valid("prompt", "create").queryAfterSignIn()).doesNotContain("prompt");
    }
}
