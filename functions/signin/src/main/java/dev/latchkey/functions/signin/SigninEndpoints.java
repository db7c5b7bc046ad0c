package dev.latchkey.functions.signin;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.http.ErrorResponses;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.sso.AuthorizationError;
import dev.latchkey.core.sso.Authorize;
import dev.latchkey.core.sso.AuthorizeOutcome;
import dev.latchkey.core.sso.BrowserSessions;
import dev.latchkey.core.sso.RpInitiatedLogout;
import dev.latchkey.core.sso.SsoCookie;
import dev.latchkey.core.sso.ValidateAuthorizationRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The routes of the OpenID Provider's browser side (docs/oidc.md "Hosted pages"):
 * <ul>
 *   <li>{@code GET/POST /oauth/authorize}: validate ({@link ValidateAuthorizationRequest}), then decide
 *       ({@link Authorize}) with the browser's single sign-on session: a redirect with the code or an error (302 for
 *       GET, 303 for POST), the error page (400), or the sign-in, sign-up or consent page;</li>
 *   <li>{@code POST /oauth/signin} (JSON, from the pages' script after the login routes answered): Origin and CSRF
 *       (bound to the {@code __Host-latchkey_login} cookie) checked, then {@link BrowserSessions#start} sets the
 *       {@code __Host-latchkey_session} cookie and answers where to continue (the authorization request, validated
 *       again, without its {@code prompt=login}/{@code max_age});</li>
 *   <li>{@code POST /oauth/consent} (form): Origin and CSRF (bound to the session cookie) checked, then
 *       {@link Authorize#consent};</li>
 *   <li>{@code GET/POST /oauth/logout}: {@link RpInitiatedLogout}; the confirmation form's POST needs Origin and
 *       CSRF;</li>
 *   <li>{@code GET /oauth/signin.js}: the pages' one script (CSP {@code script-src 'self'}).</li>
 * </ul>
 * Every page carries a strict Content-Security-Policy ({@link Pages#headers}).
 */
final class SigninEndpoints {

    static final String SCRIPT_PATH = "/oauth/signin.js";

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final int MAX_PARAMETERS = 64;

    /**
     * What the routes use.
     *
     * @param validate validates authorization requests
     * @param authorize decides them
     * @param sessions the browser sessions
     * @param logout RP-initiated logout
     * @param issuer this issuer (its origin is the only one allowed to POST)
     */
    record UseCases(ValidateAuthorizationRequest validate, Authorize authorize, BrowserSessions sessions,
            RpInitiatedLogout logout, URI issuer) {
    }

    private final UseCases useCases;
    private final String origin;
    private final Pages pages;
    private final byte[] script;

    private SigninEndpoints(UseCases useCases) {
        this.useCases = useCases;
        this.origin = originOf(useCases.issuer());
        this.pages = new Pages(new SecureRandom());
        this.script = resource("signin.js");
    }

    static Router routes(UseCases useCases) {
        SigninEndpoints endpoints = new SigninEndpoints(useCases);
        return Router.builder()
                .route("GET /oauth/authorize", r -> endpoints.authorize(r.query(), r, 302))
                .route("POST /oauth/authorize", r -> endpoints.authorize(endpoints.form(r), r, 303))
                .route("POST /oauth/signin", endpoints::signIn)
                .route("POST /oauth/consent", endpoints::consent)
                .route("GET /oauth/logout", r -> endpoints.logout(r.query(), r, false))
                .route("POST /oauth/logout", r -> endpoints.logout(endpoints.form(r), r, true))
                .route("GET " + SCRIPT_PATH, r -> new HttpResponse(200,
                        Map.of("content-type", "text/javascript; charset=utf-8", "cache-control", "no-cache"),
                        endpoints.script))
                .build();
    }

    private HttpResponse authorize(Map<String, List<String>> parameters, HttpRequest request, int redirectStatus) {
        var validation = useCases.validate().validate(parameters);
        if (validation instanceof ValidateAuthorizationRequest.Refused refused) {
            return render(refused.outcome(), request, redirectStatus);
        }
        var valid = ((ValidateAuthorizationRequest.Valid) validation).request();
        var user = useCases.sessions().resolve(SsoCookie.read(request.headers(), SsoCookie.SESSION));
        return render(useCases.authorize().decide(valid, user), request, redirectStatus);
    }

    /** {@code {request, csrf_token}} of the sign-in script. */
    record SignInBody(String request, String csrfToken) {
        @Override
        public String toString() {
            return "SignInBody[]";
        }
    }

    private HttpResponse signIn(HttpRequest request) {
        if (!sameOrigin(request)) {
            return jsonError(ErrorCode.PERMISSION_DENIED, "Cross-origin request refused.", request);
        }
        SignInBody body = Json.readBody(request, SignInBody.class);
        if (!SsoCookie.csrfMatches(SsoCookie.read(request.headers(), SsoCookie.LOGIN), body.csrfToken())) {
            return jsonError(ErrorCode.PERMISSION_DENIED, "The sign-in form expired; reload the page.", request);
        }
        var validation = useCases.validate().validate(parseQuery(body.request() == null ? "" : body.request()));
        if (!(validation instanceof ValidateAuthorizationRequest.Valid valid)) {
            return jsonError(ErrorCode.VALIDATION_ERROR, "The authorization request is not valid.", request);
        }
        var started = useCases.sessions().start(request.bearerToken(),
                SsoCookie.read(request.headers(), SsoCookie.SESSION), request.sourceIp(), request.requestId());
        return HttpResponse.json(200, Json.write(Map.of("continue",
                        "/oauth/authorize?" + valid.request().queryAfterSignIn())))
                .withHeader("set-cookie", SsoCookie.set(SsoCookie.SESSION, started.cookieValue()));
    }

    private HttpResponse consent(HttpRequest request) {
        Map<String, List<String>> form = form(request);
        Optional<String> cookie = SsoCookie.read(request.headers(), SsoCookie.SESSION);
        if (!sameOrigin(request) || !SsoCookie.csrfMatches(cookie, first(form, "csrf_token"))) {
            return pages.error(403, new AuthorizationError(AuthorizationError.ACCESS_DENIED,
                    "The consent form expired or came from another site. Start the sign-in again."));
        }
        var validation = useCases.validate().validate(parseQuery(Objects.requireNonNullElse(first(form, "request"),
                "")));
        if (validation instanceof ValidateAuthorizationRequest.Refused refused) {
            return render(refused.outcome(), request, 303);
        }
        var valid = ((ValidateAuthorizationRequest.Valid) validation).request();
        boolean approved = "allow".equals(first(form, "decision"));
        return render(useCases.authorize().consent(valid, useCases.sessions().resolve(cookie), approved,
                request.sourceIp(), request.requestId()), request, 303);
    }

    private HttpResponse logout(Map<String, List<String>> parameters, HttpRequest request, boolean post) {
        Map<String, String> single = new LinkedHashMap<>();
        for (var entry : parameters.entrySet()) {
            if (entry.getValue().size() != 1) {
                return pages.error(400, new AuthorizationError(AuthorizationError.INVALID_REQUEST,
                        entry.getKey() + " is repeated"));
            }
            single.put(entry.getKey(), entry.getValue().get(0));
        }
        Optional<String> cookie = SsoCookie.read(request.headers(), SsoCookie.SESSION);
        boolean confirmed = false;
        String csrf = single.remove("csrf_token");
        if (post && csrf != null) {
            if (!sameOrigin(request) || !SsoCookie.csrfMatches(cookie, csrf)) {
                return pages.error(403, new AuthorizationError(AuthorizationError.ACCESS_DENIED,
                        "The sign-out form expired or came from another site."));
            }
            confirmed = true;
        }
        var outcome = useCases.logout().logout(single, cookie, confirmed, request.sourceIp(), request.requestId());
        if (outcome instanceof RpInitiatedLogout.Refused refused) {
            return pages.error(400, refused.error());
        }
        if (outcome instanceof RpInitiatedLogout.Confirm confirm) {
            return pages.confirmLogout(confirm.parameters(), SsoCookie.csrfToken(cookie.orElseThrow()));
        }
        var signedOut = (RpInitiatedLogout.SignedOut) outcome;
        HttpResponse response = signedOut.redirect().map(to -> redirect(to, post ? 303 : 302))
                .orElseGet(pages::signedOut);
        return signedOut.endedSession() ? response.withHeader("set-cookie", SsoCookie.clear(SsoCookie.SESSION))
                : response;
    }

    private HttpResponse render(AuthorizeOutcome outcome, HttpRequest request, int redirectStatus) {
        if (outcome instanceof AuthorizeOutcome.Redirect redirect) {
            return redirect(redirect.location(), redirectStatus);
        }
        if (outcome instanceof AuthorizeOutcome.ErrorPage page) {
            return pages.error(400, page.error());
        }
        if (outcome instanceof AuthorizeOutcome.Consent consent) {
            String cookie = SsoCookie.read(request.headers(), SsoCookie.SESSION).orElseThrow();
            return pages.consent(consent, SsoCookie.csrfToken(cookie));
        }
        Optional<String> existing = SsoCookie.read(request.headers(), SsoCookie.LOGIN);
        String loginValue = existing.orElseGet(() -> useCases.sessions().newLoginValue());
        String csrf = SsoCookie.csrfToken(loginValue);
        HttpResponse page = outcome instanceof AuthorizeOutcome.SignUp signUp ? pages.signUp(signUp.request(), csrf)
                : pages.signIn(((AuthorizeOutcome.SignIn) outcome).request(), csrf);
        return existing.isPresent() ? page : page.withHeader("set-cookie", SsoCookie.set(SsoCookie.LOGIN, loginValue));
    }

    private static HttpResponse redirect(String location, int status) {
        return new HttpResponse(status, Map.of("location", location, "cache-control", "no-store",
                "referrer-policy", "no-referrer"), new byte[0]);
    }

    /**
     * The Origin check of every state-changing POST (OWASP CSRF cheat sheet, "verifying origin with standard
     * headers"): browsers send {@code Origin} with every POST; it must be this issuer's.
     */
    private boolean sameOrigin(HttpRequest request) {
        return request.headers().first("origin").map(o -> o.equals(origin)).orElse(false);
    }

    private Map<String, List<String>> form(HttpRequest request) {
        String type = request.headers().first("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith(FORM)) {
            throw dev.latchkey.core.http.RequestException.unsupportedMediaType(FORM);
        }
        return parseQuery(new String(request.body(), StandardCharsets.UTF_8));
    }

    /** Parses {@code application/x-www-form-urlencoded} text (a query string or a form body). */
    static Map<String, List<String>> parseQuery(String text) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return parameters;
        }
        String[] pairs = text.split("&");
        if (pairs.length > MAX_PARAMETERS) {
            throw dev.latchkey.core.http.RequestException.invalid("Too many parameters.");
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw dev.latchkey.core.http.RequestException.invalid("Malformed form encoding.");
        }
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.size() != 1 ? null : values.get(0);
    }

    private static HttpResponse jsonError(ErrorCode code, String message, HttpRequest request) {
        return ErrorResponses.body(code, message, Map.of(), request.requestId());
    }

    static String originOf(URI issuer) {
        String scheme = issuer.getScheme().toLowerCase(Locale.ROOT);
        int port = issuer.getPort();
        boolean defaultPort = port < 0 || (scheme.equals("https") && port == 443)
                || (scheme.equals("http") && port == 80);
        return scheme + "://" + issuer.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static byte[] resource(String path) {
        try (InputStream in = SigninEndpoints.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
