package dev.latchkey.core.sso;

import dev.latchkey.core.authorize.Pkce;
import dev.latchkey.core.sso.AuthorizationRequest.Prompt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates an authorization request (OpenID Connect Core §3.1.2.2, RFC 6749 §4.1.1, OAuth 2.1 §4.1.1) in the order
 * that decides where an error may go:
 * <ol>
 *   <li>{@code client_id} must name a registered application, and {@code redirect_uri} must be one of its registered
 *       URIs ({@link dev.latchkey.core.authorize.RedirectUris}). Otherwise the answer is the <b>error page</b> and
 *       nothing is redirected (RFC 6749 §4.1.2.1; RFC 9700 §4.11: no open redirector).</li>
 *   <li>Everything else is an error sent <b>to the redirect URI</b> with {@code state} and {@code iss}:
 *       a repeated parameter, {@code response_type} other than {@code code} (no implicit, no hybrid),
 *       {@code request}/{@code request_uri}/{@code registration}, a {@code response_mode} other than {@code query},
 *       a scope without {@code openid} or outside the application's allowed scopes, PKCE missing or not
 *       {@code S256} (required for every client, RFC 9700 §2.1.1), an unknown {@code prompt} value or {@code none}
 *       with another, a malformed {@code max_age}, an overlong value.</li>
 * </ol>
 */
public final class ValidateAuthorizationRequest {

    /** Longest value of {@code state}, {@code nonce}, {@code login_hint} and the other free-text parameters. */
    static final int MAX_VALUE_LENGTH = 1024;

    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    private final RelyingParties clients;
    private final String issuer;

    /**
     * @param clients the registered applications
     * @param issuer this issuer's identifier, sent as {@code iss} with every redirected error
     */
    public ValidateAuthorizationRequest(RelyingParties clients, String issuer) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    /** The outcome of validation: a valid request, or the refusal to answer. */
    public sealed interface Validation {
    }

    /**
     * A valid request.
     *
     * @param request the request
     */
    public record Valid(AuthorizationRequest request) implements Validation {
    }

    /**
     * A refused request.
     *
     * @param outcome an {@link AuthorizeOutcome.ErrorPage} or an {@link AuthorizeOutcome.Redirect} with the error
     */
    public record Refused(AuthorizeOutcome outcome) implements Validation {
    }

    /**
     * Validates the parameters of a {@code GET} query or a {@code POST} form (OpenID Connect Core §3.1.2.1: both).
     *
     * @param parameters every parameter with all its values
     * @throws dev.latchkey.core.store.StoreUnavailableException when the application lookup fails
     */
    public Validation validate(Map<String, List<String>> parameters) {
        Optional<String> clientId = single(parameters, "client_id");
        if (clientId.isEmpty()) {
            return page("client_id is missing or repeated");
        }
        Optional<RelyingParty> client = clients.find(clientId.get());
        if (client.isEmpty()) {
            return new Refused(new AuthorizeOutcome.ErrorPage(new AuthorizationError(AuthorizationError.INVALID_CLIENT,
                    "The application is not registered.")));
        }
        Optional<String> redirectUri = single(parameters, "redirect_uri");
        if (redirectUri.isEmpty() || !client.get().redirectUris().matches(redirectUri.get())) {
            return page("redirect_uri is missing or not registered for this application");
        }
        Optional<String> state = single(parameters, "state").filter(s -> s.length() <= MAX_VALUE_LENGTH);
        Redirector to = new Redirector(redirectUri.get(), state, issuer);

        Map<String, String> values = new LinkedHashMap<>();
        for (var entry : parameters.entrySet()) {
            if (entry.getValue().size() != 1) {
                return to.error(AuthorizationError.INVALID_REQUEST, entry.getKey() + " is repeated");
            }
            if (entry.getValue().get(0).length() > MAX_VALUE_LENGTH) {
                return to.error(AuthorizationError.INVALID_REQUEST, entry.getKey() + " is too long");
            }
            values.put(entry.getKey(), entry.getValue().get(0));
        }
        if (values.containsKey("request")) {
            return to.error(AuthorizationError.REQUEST_NOT_SUPPORTED, "request objects are not supported");
        }
        if (values.containsKey("request_uri")) {
            return to.error(AuthorizationError.REQUEST_URI_NOT_SUPPORTED, "request_uri is not supported");
        }
        if (values.containsKey("registration")) {
            return to.error(AuthorizationError.REGISTRATION_NOT_SUPPORTED, "registration is not supported");
        }
        String responseType = values.get("response_type");
        if (responseType == null) {
            return to.error(AuthorizationError.INVALID_REQUEST, "response_type is missing");
        }
        if (!responseType.equals("code")) {
            return to.error(AuthorizationError.UNSUPPORTED_RESPONSE_TYPE,
                    "only response_type=code is supported (authorization code flow with PKCE)");
        }
        String responseMode = values.get("response_mode");
        if (responseMode != null && !responseMode.equals("query")) {
            return to.error(AuthorizationError.INVALID_REQUEST, "only response_mode=query is supported");
        }
        List<String> scope = scope(values.get("scope"));
        if (!scope.contains("openid")) {
            return to.error(AuthorizationError.INVALID_SCOPE, "scope must contain openid");
        }
        for (String s : scope) {
            if (!s.equals("openid") && !client.get().allowedScopes().contains(s)) {
                return to.error(AuthorizationError.INVALID_SCOPE, "a scope is not allowed for this application");
            }
        }
        Pkce.Result pkce = Pkce.of(values.get("code_challenge"), values.get("code_challenge_method"));
        if (pkce.pkce().isEmpty()) {
            return to.error(AuthorizationError.INVALID_REQUEST, pkce.problem().orElseThrow());
        }
        Optional<Set<Prompt>> prompt = prompt(values.get("prompt"));
        if (prompt.isEmpty()) {
            return to.error(AuthorizationError.INVALID_REQUEST,
                    "prompt must be none alone, or any of login, consent, create, select_account");
        }
        Optional<Duration> maxAge = Optional.empty();
        if (values.containsKey("max_age")) {
            if (!DIGITS.matcher(values.get("max_age")).matches()) {
                return to.error(AuthorizationError.INVALID_REQUEST, "max_age must be a non-negative integer");
            }
            maxAge = Optional.of(Duration.ofSeconds(Long.parseLong(values.get("max_age"))));
        }
        return new Valid(new AuthorizationRequest(client.get(), redirectUri.get(), scope, state,
                Optional.ofNullable(values.get("nonce")), pkce.pkce().get(), prompt.get(), maxAge,
                Optional.ofNullable(values.get("login_hint")), Optional.ofNullable(values.get("ui_locales")),
                Optional.ofNullable(values.get("acr_values")), values));
    }

    private static Refused page(String description) {
        return new Refused(new AuthorizeOutcome.ErrorPage(
                new AuthorizationError(AuthorizationError.INVALID_REQUEST, description)));
    }

    private static Optional<String> single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.size() != 1 || values.get(0).isEmpty() ? Optional.empty()
                : Optional.of(values.get(0));
    }

    private static List<String> scope(String text) {
        List<String> scope = new ArrayList<>();
        if (text == null) {
            return scope;
        }
        for (String token : text.split(" ")) {
            if (!token.isEmpty() && SCOPE_TOKEN.matcher(token).matches() && !scope.contains(token)) {
                scope.add(token);
            }
        }
        return scope;
    }

    private static Optional<Set<Prompt>> prompt(String text) {
        Set<Prompt> prompt = EnumSet.noneOf(Prompt.class);
        if (text == null || text.isBlank()) {
            return Optional.of(prompt);
        }
        for (String token : text.split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            Prompt value;
            try {
                value = Prompt.valueOf(token.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            if (!token.equals(token.toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
            prompt.add(value);
        }
        if (prompt.contains(Prompt.NONE) && prompt.size() > 1) {
            return Optional.empty();
        }
        return Optional.of(prompt);
    }

    /** Sends errors to a validated redirect URI. */
    private record Redirector(String redirectUri, Optional<String> state, String issuer) {
        Refused error(String error, String description) {
            return new Refused(new AuthorizeOutcome.Redirect(AuthorizationResponses.error(redirectUri,
                    new AuthorizationError(error, description), state, issuer)));
        }
    }
}
