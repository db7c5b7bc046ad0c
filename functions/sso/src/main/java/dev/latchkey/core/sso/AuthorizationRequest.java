package dev.latchkey.core.sso;

import dev.latchkey.core.authorize.Pkce;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A valid authorization request (OpenID Connect Core §3.1.2.1 with OAuth 2.1's PKCE), as
 * {@link ValidateAuthorizationRequest} accepted it.
 *
 * @param client the registered application
 * @param redirectUri the request's {@code redirect_uri}, matched against the registered ones
 * @param scope the requested scope, {@code openid} included, in request order
 * @param state the {@code state}, echoed in the response
 * @param nonce the {@code nonce}, for the ID token
 * @param pkce the {@code code_challenge} (S256)
 * @param prompt the {@code prompt} values
 * @param maxAge the {@code max_age}
 * @param loginHint the {@code login_hint}, pre-filled as the email
 * @param uiLocales the {@code ui_locales} (accepted; the pages are English)
 * @param acrValues the {@code acr_values} (accepted; the ID token's {@code acr} says what was done)
 * @param parameters every parameter of the request as received, one value each, to carry it across the sign-in
 *     and consent pages
 */
public record AuthorizationRequest(RelyingParty client, String redirectUri, List<String> scope,
        Optional<String> state, Optional<String> nonce, Pkce pkce, Set<Prompt> prompt, Optional<Duration> maxAge,
        Optional<String> loginHint, Optional<String> uiLocales, Optional<String> acrValues,
        Map<String, String> parameters) {

    /** Validates and copies. */
    public AuthorizationRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(redirectUri, "redirectUri");
        scope = List.copyOf(scope);
        Objects.requireNonNull(pkce, "pkce");
        prompt = Set.copyOf(prompt);
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The {@code prompt} values Latchkey understands (OpenID Connect Core §3.1.2.1; Initiating User Registration). */
    public enum Prompt {
        /** No page may be shown. */
        NONE,
        /** Authenticate again even with a session. */
        LOGIN,
        /** Ask for consent again. */
        CONSENT,
        /** Show the sign-up page. */
        CREATE,
        /** Let the user pick an account: Latchkey has one session per browser, so this is {@link #LOGIN}. */
        SELECT_ACCOUNT
    }

    /** Whether {@code prompt} holds this value. */
    public boolean prompts(Prompt value) {
        return prompt.contains(value);
    }

    /**
     * The query string of this request without the parameters that ask for a fresh sign-in ({@code prompt} values
     * {@code login}, {@code select_account}, {@code create}, and {@code max_age}): where the pages continue after a
     * successful sign-in, so the request does not ask again for what was just done.
     */
    public String queryAfterSignIn() {
        Map<String, String> copy = new LinkedHashMap<>(parameters);
        copy.remove("max_age");
        String remaining = prompt.stream().filter(p -> p == Prompt.CONSENT).map(p -> "consent")
                .collect(Collectors.joining(" "));
        if (remaining.isEmpty()) {
            copy.remove("prompt");
        } else {
            copy.put("prompt", remaining);
        }
        return query(copy);
    }

    /** The query string of this request as received. */
    public String query() {
        return query(parameters);
    }

    private static String query(Map<String, String> values) {
        return values.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
