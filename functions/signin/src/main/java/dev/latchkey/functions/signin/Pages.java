package dev.latchkey.functions.signin;

import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.sso.AuthorizationError;
import dev.latchkey.core.sso.AuthorizationRequest;
import dev.latchkey.core.sso.AuthorizeOutcome;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hosted pages, rendered on the server: no third-party asset, no inline script, one nonce'd style block, every
 * value HTML-escaped. Inputs have visible labels ({@code Email}, {@code Password}); every control is a native form
 * control, so the pages are usable with the keyboard alone. Headers of every page ({@link #headers}):
 * <pre>
 * Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'nonce-…'; connect-src 'self';
 *   img-src 'self'; form-action 'self' [the redirect URI's origin, consent only]; base-uri 'none';
 *   frame-ancestors 'none'
 * </pre>
 * plus {@code X-Frame-Options: DENY} (clickjacking on older browsers), {@code Referrer-Policy: no-referrer} (the
 * authorization request's query never leaks) and {@code Cache-Control: no-store}.
 */
final class Pages {

    private static final Map<String, String> SCOPE_TEXT = Map.of(
            "openid", "Know who you are (your Latchkey user id)",
            "profile", "See your name",
            "email", "See your email address",
            "offline_access", "Stay connected when you are not using it");

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:0;background:#f5f5f7;"
            + "color:#1d1d1f}"
            + "main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:.75rem;"
            + "box-shadow:0 1px 4px rgba(0,0,0,.12)}h1{font-size:1.5rem;margin-top:0}"
            + "label{display:block;font-weight:600;margin:.75rem 0 .25rem}"
            + "input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #888;"
            + "border-radius:.4rem}button{margin-top:1rem;padding:.6rem 1rem;font-size:1rem;border-radius:.4rem;"
            + "border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer}"
            + "button.secondary{background:#fff;color:#0b57d0}:focus-visible{outline:3px solid #f5a623;"
            + "outline-offset:2px}#status{min-height:1.5rem;color:#b00020;margin:.5rem 0}"
            + "#status.info{color:#1d1d1f}.links{margin-top:1.5rem;display:flex;gap:1rem;flex-wrap:wrap}"
            + "[hidden]{display:none}";

    private final SecureRandom random;

    Pages(SecureRandom random) {
        this.random = random;
    }

    HttpResponse signIn(AuthorizationRequest request, String csrf) {
        String hint = request.loginHint().orElse("");
        String body = "<h1>Sign in</h1>\n"
                + "<p>to continue to <strong>" + escape(request.client().name()) + "</strong></p>\n"
                + "<div id=\"status\" role=\"alert\" aria-live=\"assertive\"></div>\n"
                + "<form id=\"password-form\" novalidate>\n"
                + "<label for=\"email\">Email</label>\n"
                + "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username webauthn\" required"
                + " autofocus value=\"" + escape(hint) + "\">\n"
                + "<label for=\"password\">Password</label>\n"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\""
                + " required>\n"
                + "<button type=\"submit\">Sign in</button>\n"
                + "</form>\n"
                + "<form id=\"mfa-form\" hidden novalidate>\n"
                + "<label for=\"code\">Authentication code</label>\n"
                + "<input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\""
                + " maxlength=\"32\">\n"
                + "<p>Enter the 6-digit code from your authenticator app, or a recovery code.</p>\n"
                + "<button type=\"submit\">Verify</button>\n"
                + "</form>\n"
                + "<button type=\"button\" id=\"passkey\" class=\"secondary\">Sign in with a passkey</button>\n"
                + "<div class=\"links\">\n"
                + "<a href=\"/oauth/authorize?" + escape(withPrompt(request, "create")) + "\">Create an account</a>\n"
                + "<button type=\"button\" id=\"forgot\" class=\"secondary\">Forgot password?</button>\n"
                + "</div>\n";
        return page("Sign in", body, request.queryAfterSignIn(), csrf, "signin", "");
    }

    HttpResponse signUp(AuthorizationRequest request, String csrf) {
        String body = "<h1>Create your account</h1>\n"
                + "<p>to continue to <strong>" + escape(request.client().name()) + "</strong></p>\n"
                + "<div id=\"status\" role=\"alert\" aria-live=\"assertive\"></div>\n"
                + "<form id=\"signup-form\" novalidate>\n"
                + "<label for=\"name\">Name</label>\n"
                + "<input id=\"name\" name=\"name\" type=\"text\" autocomplete=\"name\" required>\n"
                + "<label for=\"email\">Email</label>\n"
                + "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\""
                + escape(request.loginHint().orElse("")) + "\">\n"
                + "<label for=\"password\">Password</label>\n"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\""
                + " required>\n"
                + "<button type=\"submit\">Create account</button>\n"
                + "</form>\n"
                + "<div class=\"links\"><a href=\"/oauth/authorize?" + escape(request.queryAfterSignIn())
                + "\">I already have an account</a></div>\n";
        return page("Create your account", body, request.queryAfterSignIn(), csrf, "signup", "");
    }

    HttpResponse consent(AuthorizeOutcome.Consent consent, String csrf) {
        StringBuilder scopes = new StringBuilder();
        consent.scopes().forEach(s -> scopes.append("<li>").append(escape(SCOPE_TEXT.getOrDefault(s, s)))
                .append(" <code>").append(escape(s)).append("</code></li>\n"));
        String client = escape(consent.request().client().name());
        String body = "<h1>" + client + " wants to access your account</h1>\n"
                + "<p>If you allow it, <strong>" + client + "</strong> can:</p>\n"
                + "<ul>\n" + scopes + "</ul>\n"
                + "<form method=\"post\" action=\"/oauth/consent\">\n"
                + hidden("csrf_token", csrf) + hidden("request", consent.request().query())
                + "<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\n"
                + "<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button>\n"
                + "</form>\n";
        return page("Allow access", body, null, null, null, " " + formTarget(consent.request().redirectUri()));
    }

    HttpResponse error(int status, AuthorizationError error) {
        String body = "<h1>Sign-in cannot continue</h1>\n"
                + "<p role=\"alert\">" + escape(error.description()) + "</p>\n"
                + "<p>Error code: <code>" + escape(error.error()) + "</code></p>\n"
                + "<p>Go back to the application and try again.</p>\n";
        HttpResponse page = page("Error", body, null, null, null, "");
        return new HttpResponse(status, page.headers(), page.body());
    }

    HttpResponse confirmLogout(Map<String, String> parameters, String csrf) {
        StringBuilder fields = new StringBuilder(hidden("csrf_token", csrf));
        new LinkedHashMap<>(parameters).forEach((name, value) -> fields.append(hidden(name, value)));
        String body = "<h1>Sign out?</h1>\n"
                + "<p>An application asked to sign you out of Latchkey on this browser.</p>\n"
                + "<form method=\"post\" action=\"/oauth/logout\">\n" + fields
                + "<button type=\"submit\">Sign out</button>\n</form>\n";
        String redirect = parameters.get("post_logout_redirect_uri");
        return page("Sign out", body, null, null, null, redirect == null ? "" : " " + formTarget(redirect));
    }

    HttpResponse signedOut() {
        return page("Signed out", "<h1>You are signed out</h1>\n<p>You can close this window.</p>\n", null, null,
                null, "");
    }

    /** The security headers of every page; {@code formAction} adds sources to {@code form-action 'self'}. */
    static Map<String, String> headers(String nonce, String formAction) {
        return Map.of("content-type", "text/html; charset=utf-8",
                "content-security-policy", "default-src 'none'; script-src 'self'; style-src 'nonce-" + nonce
                        + "'; connect-src 'self'; img-src 'self'; form-action 'self'" + formAction
                        + "; base-uri 'none'; frame-ancestors 'none'",
                "x-frame-options", "DENY",
                "referrer-policy", "no-referrer",
                "cache-control", "no-store");
    }

    private HttpResponse page(String title, String main, String continueQuery, String csrf, String mode,
            String formAction) {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String data = mode == null ? "" : " data-mode=\"" + mode + "\" data-csrf=\"" + escape(csrf)
                + "\" data-request=\"" + escape(continueQuery) + "\"";
        String script = mode == null ? "" : "<script src=\"" + SigninEndpoints.SCRIPT_PATH + "\" defer></script>\n";
        String html = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + " – Latchkey</title>\n"
                + "<style nonce=\"" + nonce + "\">" + STYLE + "</style>\n" + script
                + "</head>\n<body>\n<main id=\"page\"" + data + ">\n" + main + "</main>\n</body>\n</html>\n";
        return new HttpResponse(200, headers(nonce, formAction), html.getBytes(StandardCharsets.UTF_8));
    }

    private static String withPrompt(AuthorizationRequest request, String prompt) {
        return request.queryAfterSignIn().replaceAll("(^|&)prompt=[^&]*", "") + "&prompt=" + prompt;
    }

    /** The CSP source of the origin a form's redirect goes to (Chromium applies form-action to redirects). */
    private static String formTarget(String uri) {
        try {
            java.net.URI parsed = new java.net.URI(uri);
            if (parsed.getHost() == null) {
                return parsed.getScheme() + ":";
            }
            return parsed.getScheme() + "://" + parsed.getRawAuthority();
        } catch (java.net.URISyntaxException e) {
            return "";
        }
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">\n";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
