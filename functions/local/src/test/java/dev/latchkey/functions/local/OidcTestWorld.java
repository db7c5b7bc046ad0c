package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The local server, configured as {@code java -jar latchkey-local.jar} is (issuer = its own
 * {@code http://localhost:<port>} URL, so the passkey RP id is {@code localhost}), and the API calls the OpenID
 * Provider proofs make before a browser starts: people who sign up and verify their address, and the applications
 * their organization registers — the way the README and docs/oidc.md do it, through the HTTP API.
 */
final class OidcTestWorld implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final LocalServer server;
    private final Path dataDir;

    private OidcTestWorld(LocalServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    static OidcTestWorld start(Path dataDir) {
        return new OidcTestWorld(LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString())), dataDir);
    }

    /** {@code http://localhost:<port>}, without a trailing slash: the issuer. */
    String issuer() {
        return server.url().toString().replaceAll("/$", "");
    }

    /** A person who signed up, verified the address and signed in; {@code organizationId} is the personal one. */
    record Person(String id, String email, String password, String name, String accessToken,
            String organizationId) {
    }

    Person signUp(String email, String password, String name) throws Exception {
        json("POST", "/v1/auth/register", null, Map.of("email", email, "password", password, "name", name), 201);
        json("POST", "/v1/auth/email/verify", null, Map.of("token", newestOutboxToken(email)), 200);
        String access = json("POST", "/v1/auth/login/password", null, Map.of("email", email, "password", password),
                200).path("access_token").asString();
        JsonNode me = json("GET", "/v1/users/me", access, null, 200);
        return new Person(me.path("user").path("id").asString(), email, password, name, access,
                me.path("memberships").path(0).path("organization_id").asString());
    }

    /**
     * Registers an application (OAuth client for sign-in) in the owner's organization through
     * {@code POST /v1/orgs/{orgId}/applications}: the answer, with {@code client_id} and, for a confidential one,
     * {@code client_secret} (shown this once).
     */
    JsonNode registerApplication(Person owner, Map<String, Object> application) throws Exception {
        return json("POST", "/v1/orgs/" + owner.organizationId() + "/applications", owner.accessToken(),
                application, 201);
    }

    /** A JSON API call that must answer {@code expected}; its body as JSON (an empty object for none). */
    JsonNode json(String method, String path, String bearer, Object body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(issuer() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body().isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(response.body());
    }

    /** A GET without following redirects. */
    HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET /oauth/userinfo with a bearer token. */
    HttpResponse<String> userinfo(String accessToken) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(issuer() + "/oauth/userinfo"))
                .header("authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A form POST to the token endpoint, with HTTP Basic client authentication when {@code basic} is given. */
    HttpResponse<String> token(Map<String, String> form, String basic) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(issuer() + "/oauth/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (basic != null) {
            request.header("authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A PKCE code verifier (RFC 7636 §4.1): 32 random bytes, base64url. */
    static String verifier() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * An authorization request for a code ({@code openid profile email}, a random {@code state} and {@code nonce})
     * with the {@code S256} challenge of {@code verifier}; a mutable map, for the requests that leave a part out.
     */
    static Map<String, String> authorization(String clientId, String redirectUri, String verifier) throws Exception {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", clientId);
        request.put("redirect_uri", redirectUri);
        request.put("scope", "openid profile email");
        request.put("state", verifier().substring(0, 16));
        request.put("nonce", verifier().substring(0, 16));
        request.put("code_challenge", Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest
                .getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII))));
        request.put("code_challenge_method", "S256");
        return request;
    }

    /** The authorization endpoint's URL with this request. */
    String authorizeUrl(Map<String, String> request) {
        return issuer() + "/oauth/authorize?" + form(request);
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** The verification token of the newest verification mail to {@code email} in the file outbox. */
    private String newestOutboxToken(String email) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("outbox"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().contains("email-verification"))
                    .sorted(Comparator.comparing(Path::getFileName).reversed()).toList()) {
                String mail = Files.readString(file);
                var matcher = Pattern.compile("lkv_[A-Za-z0-9_-]+").matcher(mail);
                if (mail.contains(email) && matcher.find()) {
                    return matcher.group();
                }
            }
        }
        throw new AssertionError("no verification mail to " + email + " in the outbox");
    }

    @Override
    public void close() {
        server.close();
    }
}
