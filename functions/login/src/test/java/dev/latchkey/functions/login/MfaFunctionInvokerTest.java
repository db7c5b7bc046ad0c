package dev.latchkey.functions.login;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.mfa.Base32;
import dev.latchkey.core.mfa.MfaMail;
import dev.latchkey.core.mfa.Totp;
import dev.latchkey.infrastructure.account.Argon2idPasswordHasher;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.mail.FileOutboxMailer;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two-factor sign-in through the real Lambda entry point ({@code FunctionInvoker}) with the local key vault, the
 * emulated table and the file outbox: enrol → confirm → password step → code step (amr) → replay refused →
 * recovery code (mailed) → throttle → step-up to remove the factor; no secret, code or token in any log line.
 */
class MfaFunctionInvokerTest {

    private static final String PASSWORD = "Marmalade-Comet-Lantern-93";

    @TempDir
    static Path dataDir;

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static FileOutboxMailer outbox;
    private static DynamoDbAuditLog auditLog;
    private static DynamoDbUserRepository users;
    private static SortableIdGenerator ids;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        ids = new SortableIdGenerator(clock, random);
        new RotateSigningKeys(new DynamoDbKeyRingRepository(table.client(), EmulatedTable.TABLE),
                LocalKeyVault.fromBase64(LambdaHarness.MASTER_KEY, random), KeyPolicy.defaults(),
                new InMemoryAuditLog(clock), ids, clock, random).run("test");
        Map<String, String> variables = new HashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", dataDir.toString());
        lambda = LambdaHarness.start(LoginApplication.class.getName(), LoginApplication.FUNCTION, variables);
        outbox = new FileOutboxMailer(dataDir.resolve("outbox"), clock, random);
        auditLog = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, clock);
        users = new DynamoDbUserRepository(table.client(), EmulatedTable.TABLE, auditLog);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    private static User account(String email) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Test Person",
                Argon2idPasswordHasher.owasp(new SecureRandom()).hash(PASSWORD), false, now, orgId);
        users.create(new NewAccount(user, new PersonalOrganization(orgId, "Test Person's organization", now, userId),
                AuditEvent.builder(ids, Clock.systemUTC()).occurredAt(now).organizationId(orgId)
                        .actor(Actor.user(userId)).action("account.registered").target("user", userId)
                        .requestId("test").build()));
        return user;
    }

    /** An API Gateway v2 event for a route, with an optional JSON body and bearer token. */
    static String event(String method, String path, Map<String, ?> body, String bearer, String ip) {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("version", "2.0").put("routeKey", method + " " + path).put("rawPath", path)
                .put("rawQueryString", "").put("isBase64Encoded", false);
        ObjectNode headers = event.putObject("headers");
        headers.put("accept", "application/json");
        if (body != null) {
            String json = new String(Json.write(body), StandardCharsets.UTF_8);
            event.put("body", json);
            headers.put("content-type", "application/json");
        }
        if (bearer != null) {
            headers.put("authorization", "Bearer " + bearer);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", "req-" + System.nanoTime()).put("routeKey", method + " " + path)
                .put("stage", "$default");
        context.putObject("http").put("method", method).put("path", path).put("sourceIp", ip)
                .put("protocol", "HTTP/1.1");
        return event.toString();
    }

    private static LambdaHarness.Response call(String method, String path, Map<String, ?> body, String bearer,
            String ip) {
        return lambda.invoke(event(method, path, body, bearer, ip));
    }

    private static LambdaHarness.Response passwordLogin(String email, String ip) {
        return call("POST", "/v1/auth/login/password", Map.of("email", email, "password", PASSWORD), null, ip);
    }

    private static String code(byte[] secret, long step) {
        return Totp.code(secret, step, Totp.Algorithm.SHA1, Totp.DIGITS);
    }

    private static JsonNode claims(String accessToken) {
        return Json.mapper().readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
    }

    private static List<String> amr(String accessToken) {
        List<String> amr = new ArrayList<>();
        claims(accessToken).path("amr").forEach(v -> amr.add(v.asString()));
        return amr;
    }

    /** Enrols TOTP for a signed-in user; returns the secret and the recovery codes. */
    private record Enrolled(byte[] secret, long confirmedStep, List<String> recoveryCodes) {
    }

    private static Enrolled enrol(String access, String ip, List<String> secrets) {
        var started = call("POST", "/v1/users/me/mfa/totp", null, access, ip);
        assertThat(started.status()).isEqualTo(201);
        JsonNode body = started.bodyJson();
        assertThat(body.propertyNames()).containsExactly("otpauth_uri", "secret", "qr_svg", "expires_at");
        String secretText = body.path("secret").asString();
        secrets.add(secretText);
        assertThat(body.path("otpauth_uri").asString()).startsWith("otpauth://totp/Latchkey:")
                .contains("secret=" + secretText).contains("&issuer=Latchkey&algorithm=SHA1&digits=6&period=30");
        assertThat(body.path("qr_svg").asString()).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("<path d=\"M");
        byte[] secret = Base32.decode(secretText);
        long step = Totp.step(Instant.now());
        var confirmed = call("POST", "/v1/users/me/mfa/totp/confirm", Map.of("code", code(secret, step)), access, ip);
        assertThat(confirmed.status()).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        confirmed.bodyJson().path("recovery_codes").forEach(c -> codes.add(c.asString()));
        assertThat(codes).hasSize(10);
        secrets.addAll(codes);
        return new Enrolled(secret, step, codes);
    }

    @Test
    @DisplayName("enrol → confirm → mfa_required → code (amr pwd otp mfa) → replay 401 → recovery code → step-up")
    void fullMfaFlowThroughFunctionInvoker() {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        List<String> secrets = new ArrayList<>();
        String ip = "198.51.100.60";
        User user = account("mfa.person@example.com");
        try {
            String access = passwordLogin("mfa.person@example.com", ip).bodyJson().path("access_token").asString();
            secrets.add(access);
            assertThat(call("GET", "/v1/users/me/mfa", null, access, ip).bodyJson().path("enabled").asBoolean())
                    .isFalse();
            Enrolled app = enrol(access, ip, secrets);

            JsonNode status = call("GET", "/v1/users/me/mfa", null, access, ip).bodyJson();
            assertThat(status.path("enabled").asBoolean()).isTrue();
            assertThat(status.path("recovery_codes_left").asInt()).isEqualTo(10);
            assertThat(status.path("methods").toString()).isEqualTo("[\"totp\",\"recovery_code\"]");

            var first = passwordLogin("mfa.person@example.com", ip);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyJson().propertyNames()).containsExactly("mfa_required", "mfa_token", "methods",
                    "expires_in");
            assertThat(first.bodyJson().path("mfa_required").asBoolean()).isTrue();
            String mfaToken = first.bodyJson().path("mfa_token").asString();
            secrets.add(mfaToken);

            // The confirming code's step is spent; the next step's code is inside the ±1 window.
            String next = code(app.secret(), app.confirmedStep() + 1);
            var second = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", mfaToken, "code", next), null, ip);
            assertThat(second.status()).isEqualTo(200);
            String mfaAccess = second.bodyJson().path("access_token").asString();
            secrets.add(mfaAccess);
            secrets.add(second.bodyJson().path("refresh_token").asString());
            assertThat(amr(mfaAccess)).containsExactly("pwd", "otp", "mfa");

            var reused = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", mfaToken, "code", next), null, ip);
            assertThat(reused.status()).as("the mfa_token is single use").isEqualTo(401);
            String another = passwordLogin("mfa.person@example.com", ip).bodyJson().path("mfa_token").asString();
            secrets.add(another);
            var replay = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", another, "code", next), null, ip);
            assertThat(replay.status()).as("a code is accepted once").isEqualTo(401);
            assertThat(replay.bodyJson().path("error").path("details").path("reason").asString())
                    .isEqualTo("INVALID_CODE");

            var recovered = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", another, "recovery_code",
                    app.recoveryCodes().get(0)), null, ip);
            assertThat(recovered.status()).isEqualTo(200);
            String recoveredAccess = recovered.bodyJson().path("access_token").asString();
            secrets.add(recoveredAccess);
            assertThat(amr(recoveredAccess)).containsExactly("pwd", "mfa");
            assertThat(outbox.latest(MfaMail.RECOVERY_CODE_USED, "mfa.person@example.com")).isPresent();
            String third = passwordLogin("mfa.person@example.com", ip).bodyJson().path("mfa_token").asString();
            assertThat(call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", third, "recovery_code",
                    app.recoveryCodes().get(0)), null, ip).status()).as("a recovery code works once").isEqualTo(401);

            var stepUp = call("DELETE", "/v1/users/me/mfa", null, access, ip);
            assertThat(stepUp.status()).as("a password-only session cannot remove the factor").isEqualTo(401);
            assertThat(stepUp.header("www-authenticate"))
                    .startsWith("Bearer error=\"insufficient_user_authentication\"").contains("max_age=\"600\"")
                    .contains("acr_values=\"http://schemas.openid.net/pape/policies/2007/06/multi-factor\"");
            assertThat(call("DELETE", "/v1/users/me/mfa", null, mfaAccess, ip).status()).isEqualTo(204);
            assertThat(outbox.latest(MfaMail.MFA_REMOVED, "mfa.person@example.com")).isPresent();
            assertThat(passwordLogin("mfa.person@example.com", ip).bodyJson().has("access_token")).isTrue();
        } finally {
            root.detachAppender(appender);
        }
        List<String> actions = auditLog.find(user.personalOrganizationId(), AuditQuery.builder().limit(100).build())
                .events().stream().map(AuditEvent::action).toList();
        assertThat(actions).contains("mfa.totp.enrolment_started", "mfa.totp.enrolled", "auth.login.mfa_required",
                "mfa.verified", "mfa.verify_failed", "mfa.recovery_code.used", "auth.login.succeeded",
                "mfa.disabled");
        List<String> lines = appender.list.stream().map(e -> e.getFormattedMessage() + " " + e.getThrowableProxy())
                .toList();
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain(secrets));
    }

    @Test
    @DisplayName("Ten wrong codes lock the factor: the right code is refused like a wrong one, audited as locked")
    void mfaLoginWhenTenWrongCodesThenRightCodeRefusedAndAudited() {
        String ip = "198.51.100.61";
        User user = account("mfa.locked@example.com");
        String access = passwordLogin("mfa.locked@example.com", ip).bodyJson().path("access_token").asString();
        Enrolled app = enrol(access, ip, new ArrayList<>());
        String token = passwordLogin("mfa.locked@example.com", ip).bodyJson().path("mfa_token").asString();
        String right = code(app.secret(), app.confirmedStep() + 1);
        String wrong = right.equals("000000") ? "111111" : "000000";
        Map<String, Object> answers = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            var response = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", token, "code", wrong), null, ip);
            assertThat(response.status()).isEqualTo(401);
            answers.put("wrong", response.bodyJson().path("error").path("message").asString());
        }

        var locked = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", token, "code", right), null, ip);

        assertThat(locked.status()).isEqualTo(401);
        assertThat(locked.bodyJson().path("error").path("message").asString()).isEqualTo(answers.get("wrong"));
        List<AuditEvent> failures = auditLog.find(user.personalOrganizationId(), AuditQuery.builder().limit(100)
                .build()).events().stream().filter(e -> e.action().equals("mfa.verify_failed")).toList();
        assertThat(failures).anySatisfy(e -> assertThat(e.details()).containsEntry("reason", "locked"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    private static String mfaToken(String email, String ip) {
        var first = passwordLogin(email, ip);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.bodyJson().path("mfa_required").asBoolean()).isTrue();
        return first.bodyJson().path("mfa_token").asString();
    }

    private static List<String> actions(User user) {
        return auditLog.find(user.personalOrganizationId(), AuditQuery.builder().limit(100).build()).events()
                .stream().map(AuditEvent::action).toList();
    }

    @Test
    @DisplayName("status timestamps: totp_created_at at confirmation, totp_last_used_at moves with a code login; "
            + "new recovery codes (step-up) → the old ones refused, a new one accepted once")
    void regenerateRecoveryCodesThroughFunctionInvoker() {
        String ip = "198.51.100.62";
        String email = "mfa.regenerate@example.com";
        User user = account(email);
        String access = passwordLogin(email, ip).bodyJson().path("access_token").asString();
        Instant beforeEnrolment = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Enrolled app = enrol(access, ip, new ArrayList<>());
        Instant afterEnrolment = Instant.now();

        JsonNode enrolled = call("GET", "/v1/users/me/mfa", null, access, ip).bodyJson();
        assertThat(enrolled.propertyNames()).containsExactly("enabled", "methods", "totp_created_at",
                "totp_last_used_at", "recovery_codes_left");
        Instant createdAt = Instant.parse(enrolled.path("totp_created_at").asString());
        assertThat(createdAt).isBetween(beforeEnrolment, afterEnrolment);
        assertThat(Instant.parse(enrolled.path("totp_last_used_at").asString())).as("the confirming code")
                .isEqualTo(createdAt);

        Instant beforeLogin = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var signedIn = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", mfaToken(email, ip), "code",
                code(app.secret(), app.confirmedStep() + 1)), null, ip);
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
        String mfaAccess = signedIn.bodyJson().path("access_token").asString();
        JsonNode used = call("GET", "/v1/users/me/mfa", null, mfaAccess, ip).bodyJson();
        assertThat(Instant.parse(used.path("totp_created_at").asString())).isEqualTo(createdAt);
        assertThat(Instant.parse(used.path("totp_last_used_at").asString())).as("the login code")
                .isBetween(beforeLogin, Instant.now());

        var stepUp = call("POST", "/v1/users/me/mfa/recovery-codes", null, access, ip);
        assertThat(stepUp.status()).as("a password-only session gets no new codes").isEqualTo(401);
        assertThat(stepUp.header("www-authenticate")).isEqualTo("Bearer error=\"insufficient_user_authentication\", "
                + "error_description=\"A more recent authentication is required.\", "
                + "acr_values=\"http://schemas.openid.net/pape/policies/2007/06/multi-factor\", max_age=\"600\"");
        var regenerated = call("POST", "/v1/users/me/mfa/recovery-codes", null, mfaAccess, ip);
        assertThat(regenerated.status()).as(regenerated.body()).isEqualTo(200);
        assertThat(regenerated.bodyJson().propertyNames()).containsExactly("recovery_codes");
        List<String> fresh = texts(regenerated.bodyJson().path("recovery_codes"));
        assertThat(fresh).hasSize(10).doesNotHaveDuplicates().doesNotContainAnyElementsOf(app.recoveryCodes())
                .allSatisfy(c -> assertThat(c).matches("[a-z2-7]{5}-[a-z2-7]{5}"));
        assertThat(call("GET", "/v1/users/me/mfa", null, mfaAccess, ip).bodyJson().path("recovery_codes_left")
                .asInt()).isEqualTo(10);

        String token = mfaToken(email, ip);
        for (String old : List.of(app.recoveryCodes().get(0), app.recoveryCodes().get(9))) {
            var refused = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", token, "recovery_code", old), null,
                    ip);
            assertThat(refused.status()).as("an old recovery code is dead").isEqualTo(401);
        }
        var accepted = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", token, "recovery_code", fresh.get(0)),
                null, ip);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(amr(accepted.bodyJson().path("access_token").asString())).containsExactly("pwd", "mfa");
        assertThat(call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", mfaToken(email, ip), "recovery_code",
                fresh.get(0)), null, ip).status()).as("a new code works once").isEqualTo(401);
        assertThat(call("GET", "/v1/users/me/mfa", null, mfaAccess, ip).bodyJson().path("recovery_codes_left")
                .asInt()).isEqualTo(9);
        assertThat(actions(user)).contains("mfa.recovery_codes.regenerated", "mfa.recovery_code.used");
    }

    @Test
    @DisplayName("re-enrolment: without proof refused; with an old code → new secret; with a recovery code → new "
            + "secret, the recovery code spent (audited, mailed); the old secret's codes refused afterwards")
    void reEnrolmentThroughFunctionInvoker() {
        String ip = "198.51.100.63";
        String email = "mfa.reenrol@example.com";
        User user = account(email);
        String access = passwordLogin(email, ip).bodyJson().path("access_token").asString();
        Enrolled first = enrol(access, ip, new ArrayList<>());

        var noProof = call("POST", "/v1/users/me/mfa/totp", null, access, ip);
        assertThat(noProof.status()).as(noProof.body()).isEqualTo(401);
        assertThat(noProof.bodyJson().path("error").path("details").path("reason").asString())
                .isEqualTo("SECOND_FACTOR_REQUIRED");
        var wrongCode = call("POST", "/v1/users/me/mfa/totp", Map.of("code",
                code(first.secret(), first.confirmedStep() + 1).equals("000000") ? "111111" : "000000"), access, ip);
        assertThat(wrongCode.status()).as("a wrong code is no proof").isEqualTo(401);
        assertThat(wrongCode.bodyJson().has("secret")).isFalse();

        // With a code of the old authenticator (the next step: the confirming one is spent).
        var byCode = call("POST", "/v1/users/me/mfa/totp", Map.of("code",
                code(first.secret(), first.confirmedStep() + 1)), access, ip);
        assertThat(byCode.status()).as(byCode.body()).isEqualTo(201);
        byte[] second = Base32.decode(byCode.bodyJson().path("secret").asString());
        long secondStep = Totp.step(Instant.now());
        var confirmed = call("POST", "/v1/users/me/mfa/totp/confirm", Map.of("code", code(second, secondStep)),
                access, ip);
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        List<String> secondCodes = texts(confirmed.bodyJson().path("recovery_codes"));
        assertThat(secondCodes).hasSize(10).doesNotContainAnyElementsOf(first.recoveryCodes());

        String token = mfaToken(email, ip);
        String oldCode = code(first.secret(), secondStep + 1);
        String newCode = code(second, secondStep + 1);
        if (!oldCode.equals(newCode)) {
            var old = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", token, "code", oldCode), null, ip);
            assertThat(old.status()).as("the replaced secret's codes are dead").isEqualTo(401);
        }
        var byNew = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", token, "code", newCode), null, ip);
        assertThat(byNew.status()).as(byNew.body()).isEqualTo(200);
        assertThat(amr(byNew.bodyJson().path("access_token").asString())).containsExactly("pwd", "otp", "mfa");

        // With a recovery code instead: spent by the start, whether or not the enrolment is confirmed.
        var byRecovery = call("POST", "/v1/users/me/mfa/totp", Map.of("recovery_code", secondCodes.get(0)), access,
                ip);
        assertThat(byRecovery.status()).as(byRecovery.body()).isEqualTo(201);
        assertThat(outbox.latest(MfaMail.RECOVERY_CODE_USED, email)).isPresent();
        var again = call("POST", "/v1/users/me/mfa/totp", Map.of("recovery_code", secondCodes.get(0)), access, ip);
        assertThat(again.status()).as("the recovery code works once").isEqualTo(401);
        byte[] third = Base32.decode(byRecovery.bodyJson().path("secret").asString());
        // The new factor starts from its confirming step: the second secret's steps do not carry over.
        long thirdStep = Totp.step(Instant.now());
        var thirdConfirmed = call("POST", "/v1/users/me/mfa/totp/confirm", Map.of("code", code(third, thirdStep)),
                access, ip);
        assertThat(thirdConfirmed.status()).as(thirdConfirmed.body()).isEqualTo(200);

        String later = mfaToken(email, ip);
        for (Map<String, String> dead : List.of(Map.of("code", code(second, thirdStep + 1)),
                Map.of("recovery_code", secondCodes.get(0)), Map.of("recovery_code", secondCodes.get(1)))) {
            Map<String, String> body = new HashMap<>(dead);
            body.put("mfa_token", later);
            if (!dead.containsKey("code") || !dead.get("code").equals(code(third, thirdStep + 1))) {
                assertThat(call("POST", "/v1/auth/login/mfa", body, null, ip).status()).as(dead.keySet().toString())
                        .isEqualTo(401);
            }
        }
        var byThird = call("POST", "/v1/auth/login/mfa", Map.of("mfa_token", later, "code",
                code(third, thirdStep + 1)), null, ip);
        assertThat(byThird.status()).as(byThird.body()).isEqualTo(200);

        List<AuditEvent> trail = auditLog.find(user.personalOrganizationId(), AuditQuery.builder().limit(100)
                .build()).events();
        assertThat(trail).filteredOn(e -> e.action().equals("mfa.verified"))
                .filteredOn(e -> "re-enrolment".equals(e.details().get("purpose")))
                .extracting(e -> e.details().get("method")).containsExactlyInAnyOrder("totp", "recovery_code");
        assertThat(trail).filteredOn(e -> e.action().equals("mfa.recovery_code.used"))
                .extracting(e -> e.details().get("purpose")).contains("re-enrolment");
        assertThat(trail).filteredOn(e -> e.action().equals("mfa.verify_failed"))
                .filteredOn(e -> "re-enrolment".equals(e.details().get("purpose")))
                .extracting(e -> e.details().get("reason")).contains("wrong_code", "wrong_recovery_code");
        assertThat(trail).filteredOn(e -> e.action().equals("mfa.totp.enrolled")).hasSize(3);
    }

    @Test
    @DisplayName("a copy of the table holds no TOTP secret, recovery code or mfa_token in plain: the secret sealed, "
            + "recovery codes as keyed hashes, the mfa_token as its SHA-256")
    void tableWhenCopiedThenNoSecretRecoveryCodeOrMfaTokenInPlain() {
        String ip = "198.51.100.64";
        String email = "mfa.table@example.com";
        User user = account(email);
        String access = passwordLogin(email, ip).bodyJson().path("access_token").asString();
        List<String> secrets = new ArrayList<>();
        Enrolled app = enrol(access, ip, secrets);
        String pendingToken = mfaToken(email, ip);
        secrets.add(pendingToken);
        List<String> plain = new ArrayList<>(secrets);
        plain.add(Base32.encode(app.secret()).toLowerCase(Locale.ROOT));
        app.recoveryCodes().forEach(c -> plain.add(c.replace("-", "")));

        List<Map<String, AttributeValue>> items = new ArrayList<>();
        table.client().scanPaginator(b -> b.tableName(EmulatedTable.TABLE)).items().forEach(items::add);

        List<String> texts = items.stream().map(Object::toString).toList();
        assertThat(texts).filteredOn(t -> t.contains(user.id())).as("the user's items").isNotEmpty();
        assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(plain)
                .doesNotContain(plain.stream().map(v -> v.toUpperCase(Locale.ROOT)).toList()));
        List<String> recoveryKeys = items.stream().filter(i -> i.get("pk").s().equals("USER#" + user.id()))
                .map(i -> i.get("sk").s()).filter(sk -> sk.startsWith("MFA_RECOVERY#")).toList();
        assertThat(recoveryKeys).hasSize(10).allSatisfy(sk -> assertThat(sk).matches("MFA_RECOVERY#[0-9a-f]{64}"));
        assertThat(items).filteredOn(i -> i.get("pk").s().equals("USER#" + user.id())
                && i.get("sk").s().equals("MFA_TOTP")).singleElement()
                .satisfies(i -> assertThat(i.get("secret").s()).isNotBlank());
    }
}
