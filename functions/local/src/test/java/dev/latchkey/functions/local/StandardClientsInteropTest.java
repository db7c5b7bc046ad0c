package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.token.OpenedSigningKey;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.JsonNode;

/**
 * Issue 12 §5: the clients Latchkey's users actually run, unmodified and configured with nothing but the issuer URL
 * (and the audience they serve), accept Latchkey's tokens from the running local server and refuse forgeries.
 * <ul>
 *   <li>Spring Boot 3.5 and 4.0 resource servers ({@code tools/interop}: two starters,
 *       {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} and {@code audiences}, no security code; built
 *       by the invoker in this module's pom): 200 for a user token for the resource (refresh grant with
 *       {@code resource}) and a client_credentials token; 401 for a tampered one, an expired one and one for
 *       another audience.</li>
 *   <li>Nimbus's {@code DefaultJWTProcessor} with its defaults and a JWK source from the JWKS URL.</li>
 *   <li>Node ({@code tools/interop/node}, node's test runner): {@code jose} and {@code openid-client} — discovery
 *       through RFC 8414 metadata, client_credentials with client_secret_basic, client_secret_post and
 *       private_key_jwt, introspection and revocation.</li>
 *   <li>Debian's {@code python3-jwt}: {@code PyJWKClient} ({@code tools/interop/python/verify_pyjwt.py}).</li>
 * </ul>
 * The organization, resources and client are made through the API as the README does. The expired token is honest:
 * a real client token whose times are moved one hour back and which is signed again with the server's current
 * signing key (read from the local key ring), next to the same token signed again unchanged, which is accepted.
 *
 * <p>Node and npm are build requirements (they fail under {@code CI=true} like {@link NodeJwksVerificationTest});
 * Debian's {@code /usr/bin/python3} with {@code python3-jwt}: {@code .ci/run} installs it, a missing one skips the
 * Python test, or fails it with {@code CI=true} (as {@link PasskeyBrowserTest} does for Chromium).
 */
class StandardClientsInteropTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String AUDIENCE = "https://api.example.com";
    private static final String OTHER_AUDIENCE = "https://billing.example.com";
    private static final String PASSWORD = "correct-horse-staple-92!";
    private static final Path INTEROP = Events.repositoryRoot().resolve("tools/interop");
    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    @TempDir
    static Path dataDir;

    private static LocalServer server;
    private static String issuer;
    private static final Map<String, SpringResourceServer> SPRING = new LinkedHashMap<>();

    private static String userId;
    private static String organizationId;
    private static String clientId;
    private static String clientSecret;
    private static ECKey clientEs256Key;
    private static OctetKeyPair clientEd25519Key;
    private static String userToken;
    private static String clientToken;
    private static String otherAudienceToken;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString()));
        issuer = server.url().toString();
        // Both Spring Boot applications start (a few seconds each) while the organization is set up.
        for (String version : List.of("3", "4")) {
            SPRING.put(version, SpringResourceServer.start(version, issuer, AUDIENCE));
        }
        setUpOrganization();
        for (SpringResourceServer spring : SPRING.values()) {
            spring.awaitListening();
        }
    }

    @AfterAll
    static void stop() {
        SPRING.values().forEach(SpringResourceServer::close);
        if (server != null) {
            server.close();
        }
    }

    /**
     * Ada signs up, verifies her address and logs in; in her organization she registers two resources, grants
     * herself {@code read} on the first, and creates one client allowed both, with a secret, an ES256 and an Ed25519
     * key, granted {@code read} on both. Then the three tokens every test uses.
     */
    private static void setUpOrganization() throws Exception {
        json("POST", "/v1/auth/register", null, Map.of("email", "ada@example.com", "password", PASSWORD,
                "name", "Ada Lovelace"), 201);
        json("POST", "/v1/auth/email/verify", null, Map.of("token", outboxToken("email-verification", "lkv_")), 200);
        JsonNode login = json("POST", "/v1/auth/login/password", null, Map.of("email", "ada@example.com",
                "password", PASSWORD), 200);
        String access = login.path("access_token").asString();
        JsonNode me = json("GET", "/v1/users/me", access, null, 200);
        userId = me.path("user").path("id").asString();
        organizationId = me.path("memberships").path(0).path("organization_id").asString();
        String orgPath = "/v1/orgs/" + organizationId;

        String resource = json("POST", orgPath + "/resources", access, Map.of("name", "Example API",
                "audience", AUDIENCE, "scopes", List.of("read", "write")), 201).path("id").asString();
        String other = json("POST", orgPath + "/resources", access, Map.of("name", "Billing API",
                "audience", OTHER_AUDIENCE, "scopes", List.of("read")), 201).path("id").asString();
        json("PUT", orgPath + "/resources/" + resource + "/grants/" + userId, access,
                Map.of("scopes", List.of("read")), 200);

        JsonNode client = json("POST", orgPath + "/clients", access, Map.of("name", "interop worker",
                "allowed_resources", List.of(resource, other)), 201);
        clientId = client.path("client_id").asString();
        clientSecret = client.path("secret").path("client_secret").asString();
        for (String granted : List.of(resource, other)) {
            json("PUT", orgPath + "/resources/" + granted + "/grants/" + clientId, access,
                    Map.of("scopes", List.of("read")), 200);
        }
        clientEs256Key = new ECKeyGenerator(Curve.P_256).keyID("es1").algorithm(JWSAlgorithm.ES256).generate();
        clientEd25519Key = ed25519("ed1");
        for (var jwk : List.of(clientEs256Key.toPublicJWK(), clientEd25519Key.toPublicJWK())) {
            Map<String, Object> body = new HashMap<>(jwk.toJSONObject());
            body.remove("alg");
            json("POST", orgPath + "/clients/" + clientId + "/keys", access, Map.of("jwk", body), 201);
        }

        userToken = token(Map.of("grant_type", "refresh_token",
                "refresh_token", login.path("refresh_token").asString(), "resource", AUDIENCE));
        clientToken = clientCredentials(AUDIENCE);
        otherAudienceToken = clientCredentials(OTHER_AUDIENCE);
    }

    @ParameterizedTest(name = "Spring Boot {0}")
    @ValueSource(strings = {"3", "4"})
    void springBootResourceServerWhenIssuerUriAndAudiencesOnlyThenAcceptsValidTokensAndRefusesTheRest(String version)
            throws Exception {
        SpringResourceServer spring = SPRING.get(version);

        HttpResponse<String> user = spring.whoami(userToken);
        assertThat(user.statusCode()).as(spring.refusal(user)).isEqualTo(200);
        JsonNode userClaims = Json.mapper().readTree(user.body());
        assertThat(userClaims.path("sub").asString()).isEqualTo(userId);
        assertThat(userClaims.path("org").asString()).isEqualTo(organizationId);
        assertThat(userClaims.path("scope").asString()).isEqualTo("read");
        assertThat(userClaims.path("client_id").asString()).as("the first-party client").isEqualTo("latchkey");

        HttpResponse<String> client = spring.whoami(clientToken);
        assertThat(client.statusCode()).as(spring.refusal(client)).isEqualTo(200);
        JsonNode clientClaims = Json.mapper().readTree(client.body());
        assertThat(clientClaims.path("sub").asString()).isEqualTo(clientId);
        assertThat(clientClaims.path("client_id").asString()).isEqualTo(clientId);
        assertThat(clientClaims.path("org").asString()).isEqualTo(organizationId);

        assertThat(spring.whoami(resigned(clientToken, Duration.ZERO)).statusCode())
                .as("the client token signed again by the server's key, unchanged").isEqualTo(200);

        assertThat(spring.refusal(spring.whoami(tampered(userToken)))).startsWith("401 ").contains("invalid_token");
        assertThat(spring.refusal(spring.whoami(resigned(clientToken, Duration.ofHours(1)))))
                .startsWith("401 ").contains("invalid_token").containsIgnoringCase("expired");
        assertThat(spring.refusal(spring.whoami(otherAudienceToken))).startsWith("401 ").contains("invalid_token")
                .contains("aud");
        assertThat(spring.whoami(null).statusCode()).isEqualTo(401);
    }

    @Test
    void nimbusDefaultJwtProcessorWhenJwksUrlOnlyThenAcceptsLatchkeyTokensAndRefusesForgeries() throws Exception {
        var jwks = JWKSourceBuilder.create(new URL(issuer + "/.well-known/jwks.json")).build();
        DefaultJWTProcessor<SecurityContext> defaults = new DefaultJWTProcessor<>();
        defaults.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, jwks));

        JWTClaimsSet user = defaults.process(userToken, null);
        assertThat(user.getSubject()).isEqualTo(userId);
        assertThat(user.getStringClaim("client_id")).isEqualTo("latchkey");
        assertThat(defaults.process(clientToken, null).getStringClaim("client_id")).isEqualTo(clientId);
        assertThatThrownBy(() -> defaults.process(tampered(userToken), null)).isInstanceOf(BadJOSEException.class);
        assertThatThrownBy(() -> defaults.process(resigned(clientToken, Duration.ofHours(1)), null))
                .isInstanceOf(BadJWTException.class).hasMessageContaining("Expired");

        // The same processor checking iss and aud, as docs/integration.md shows.
        DefaultJWTProcessor<SecurityContext> checked = new DefaultJWTProcessor<>();
        checked.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, jwks));
        checked.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(AUDIENCE,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "org")));
        assertThat(checked.process(userToken, null).getStringClaim("org")).isEqualTo(organizationId);
        assertThat(checked.process(clientToken, null).getStringClaim("scope")).isEqualTo("read");
        assertThatThrownBy(() -> checked.process(otherAudienceToken, null)).isInstanceOf(BadJWTException.class)
                .hasMessageContaining("audience");
    }

    @Test
    void nodeJoseAndOpenIdClientWhenRunAgainstTheLocalServerThenEveryTestPasses() throws Exception {
        Path node = INTEROP.resolve("node");
        assertThat(node.resolve("node_modules/openid-client")).as("npm install ran in tools/interop/node "
                + "(functions/local's pom does it before the tests)").isDirectory();
        ProcessBuilder builder = new ProcessBuilder("node", "--test", "--test-reporter=tap", "interop.test.mjs")
                .directory(node.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("LATCHKEY_ISSUER", issuer, "RESOURCE_AUDIENCE", AUDIENCE,
                "OTHER_AUDIENCE", OTHER_AUDIENCE, "CLIENT_ID", clientId, "CLIENT_SECRET", clientSecret,
                "CLIENT_ES256_JWK", clientEs256Key.toJSONString(),
                "CLIENT_ED25519_JWK", clientEd25519Key.toJSONString(), "USER_TOKEN", userToken));
        Result result = run(builder, Duration.ofSeconds(90));

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).as(result.output()).contains("# fail 0");
        List<String> passed = result.output().lines().filter(line -> line.matches("ok \\d+ - .*"))
                .map(line -> line.replaceFirst("ok \\d+ - ", "")).toList();
        assertThat(passed).as(result.output()).contains(
                "openid-client discovers the issuer through its RFC 8414 metadata",
                "jose verifies a user token for the resource from the JWKS URL with issuer and audience",
                "jose refuses a tampered token and another audience",
                "openid-client: client_credentials, introspection and revocation with client_secret_basic",
                "openid-client: client_credentials, introspection and revocation with client_secret_post",
                "openid-client: client_credentials, introspection and revocation with private_key_jwt (ES256)",
                "openid-client: client_credentials with private_key_jwt (Ed25519)");
        assertThat(result.output().lines().filter(line -> line.startsWith("not ok"))).as(result.output()).isEmpty();
    }

    @Test
    void debianPyJwtWhenPyJwkClientThenVerifiesTheTokenAndRefusesOtherAudienceAndExpired() throws Exception {
        boolean installed = Files.isExecutable(DEBIAN_PYTHON) && run(new ProcessBuilder(DEBIAN_PYTHON.toString(),
                "-c", "import jwt, cryptography").redirectErrorStream(true), Duration.ofSeconds(20)).exit() == 0;
        if (!installed && CI) {
            throw new AssertionError("CI must run the PyJWT test: .ci/run installs python3-jwt");
        }
        assumeTrue(installed,
                "needs Debian's python3-jwt and python3-cryptography (apt-get install python3-jwt)");

        Result valid = pyJwt(userToken, AUDIENCE);
        assertThat(valid.exit()).as(valid.output()).isZero();
        JsonNode claims = Json.mapper().readTree(valid.output());
        assertThat(claims.path("sub").asString()).isEqualTo(userId);
        assertThat(claims.path("org").asString()).isEqualTo(organizationId);
        assertThat(pyJwt(clientToken, AUDIENCE).exit()).isZero();

        Result otherAudience = pyJwt(userToken, OTHER_AUDIENCE);
        assertThat(otherAudience.exit()).isEqualTo(1);
        assertThat(otherAudience.output()).startsWith("InvalidAudienceError");
        Result expired = pyJwt(resigned(clientToken, Duration.ofHours(1)), AUDIENCE);
        assertThat(expired.exit()).isEqualTo(1);
        assertThat(expired.output()).startsWith("ExpiredSignatureError");
        Result tampered = pyJwt(tampered(userToken), AUDIENCE);
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.output()).startsWith("InvalidSignatureError");
    }

    private static Result pyJwt(String token, String audience) throws IOException, InterruptedException {
        return run(new ProcessBuilder(DEBIAN_PYTHON.toString(), INTEROP.resolve("python/verify_pyjwt.py").toString(),
                issuer + "/.well-known/jwks.json", token, issuer, audience), Duration.ofSeconds(30));
    }

    // --- tokens ---------------------------------------------------------------------------------------------------

    private static String clientCredentials(String resource) throws Exception {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret,
                "resource", resource));
    }

    private static String token(Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/oauth/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body()).path("access_token").asString();
    }

    /** The token with its {@code scope} changed and the original signature kept. */
    private static String tampered(String token) {
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"scope\":\"read\"", "\"scope\":\"read write\"");
        assertThat(claims).contains("read write");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    /**
     * The token's header and claims with {@code iat}, {@code nbf} and {@code exp} moved {@code back}, signed again
     * with the local server's current signing key (the one its JWKS publishes).
     */
    private static String resigned(String token, Duration back) throws Exception {
        SignedJWT original = SignedJWT.parse(token);
        JWTClaimsSet claims = original.getJWTClaimsSet();
        JWTClaimsSet.Builder moved = new JWTClaimsSet.Builder(claims)
                .issueTime(Date.from(claims.getIssueTime().toInstant().minus(back)))
                .expirationTime(Date.from(claims.getExpirationTime().toInstant().minus(back)));
        if (claims.getNotBeforeTime() != null) {
            moved.notBeforeTime(Date.from(claims.getNotBeforeTime().toInstant().minus(back)));
        }
        OpenedSigningKey key = serverSigningKey();
        assertThat(original.getHeader().getKeyID()).isEqualTo(key.kid());
        SignedJWT signed = new SignedJWT(new JWSHeader.Builder(original.getHeader()).build(), moved.build());
        signed.sign(new ECDSASigner(key.privateKey()));
        return signed.serialize();
    }

    private static OpenedSigningKey serverSigningKey() {
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(server.dynoxide().endpoint())
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l"))).build()) {
            return new CurrentKeys(new DynamoDbKeyRingRepository(dynamo, "latchkey"),
                    LocalKeyVault.fromKeyFile(dataDir.resolve("master.key"), new SecureRandom()), KeyPolicy.defaults(),
                    Clock.systemUTC(), Duration.ofSeconds(1)).signingKey();
        }
    }

    private static OctetKeyPair ed25519(String kid) throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] publicDer = pair.getPublic().getEncoded();
        byte[] privateDer = pair.getPrivate().getEncoded();
        // RFC 8037 §2: x and d are the raw 32-byte key and seed, the tails of the X.509 and PKCS #8 encodings.
        return new OctetKeyPair.Builder(Curve.Ed25519,
                Base64URL.encode(Arrays.copyOfRange(publicDer, publicDer.length - 32, publicDer.length)))
                .d(Base64URL.encode(Arrays.copyOfRange(privateDer, privateDer.length - 32, privateDer.length)))
                .keyID(kid).algorithm(JWSAlgorithm.EdDSA).build();
    }

    // --- HTTP and processes -------------------------------------------------------------------------------------

    private static JsonNode json(String method, String path, String bearer, Object body, int expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(issuer + path)).method(method,
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

    private static String outboxToken(String kind, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("outbox"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().contains(kind)).toList()) {
                var matcher = Pattern.compile(prefix + "[A-Za-z0-9_-]+").matcher(Files.readString(file));
                if (matcher.find()) {
                    return matcher.group();
                }
            }
        }
        throw new AssertionError("no " + kind + " mail in the outbox");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(builder.command() + " did not finish in " + timeout);
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).strip());
    }

    /** One of the {@code tools/interop} Spring Boot applications, in its own JVM, logging to {@code target/}. */
    private static final class SpringResourceServer implements AutoCloseable {

        private final String version;
        private final Process process;
        private final int port;
        private final Path log;

        private SpringResourceServer(String version, Process process, int port, Path log) {
            this.version = version;
            this.process = process;
            this.port = port;
            this.log = log;
        }

        static SpringResourceServer start(String version, String issuer, String audience) throws IOException {
            Path jar = INTEROP.resolve("spring-boot-" + version + "/target/spring-boot-" + version
                    + "-resource-server.jar");
            assertThat(jar).as("built by the maven-invoker-plugin in functions/local's pom").isRegularFile();
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = Path.of("target", "spring-boot-" + version + "-resource-server.log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("LATCHKEY_ISSUER", issuer, "RESOURCE_AUDIENCE", audience));
            return new SpringResourceServer(version, builder.start(), port, log);
        }

        void awaitListening() throws Exception {
            Instant deadline = Instant.now().plusSeconds(90);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new AssertionError("Spring Boot " + version + " exited: " + Files.readString(log));
                }
                try {
                    whoami(null);
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            throw new AssertionError("Spring Boot " + version + " did not listen in 90 s: " + Files.readString(log));
        }

        HttpResponse<String> whoami(String token) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/whoami"))
                    .timeout(Duration.ofSeconds(20));
            if (token != null) {
                request.header("authorization", "Bearer " + token);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** The status and Spring's {@code WWW-Authenticate} reason, or the log when there is none. */
        String refusal(HttpResponse<String> response) throws IOException {
            List<String> said = new ArrayList<>();
            said.add(String.valueOf(response.statusCode()));
            said.addAll(response.headers().allValues("www-authenticate"));
            if (response.statusCode() == 401 && said.size() == 1) {
                said.add(Files.readString(log));
            }
            return String.join(" ", said);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
