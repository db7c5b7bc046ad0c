package dev.latchkey.functions.register;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.mail.FileOutboxMailer;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every {@code events/register/*.json} and the whole sign-up flow through the real Lambda entry point
 * ({@code FunctionInvoker}, {@code MAIN_CLASS} and the function definition as template.yaml sets them),
 * the local key vault, the emulated table and the file outbox under {@code LATCHKEY_DATA_DIR}.
 */
class RegisterFunctionInvokerTest {

    private static final Map<String, Integer> EXPECTED_STATUS = Map.of(
            "register-created.json", 201,
            "register-weak-password.json", 400,
            "register-malformed.json", 400,
            "register-wrong-content-type.json", 415,
            "verify-bad-token.json", 400,
            "resend.json", 202);
    private static final Pattern TOKEN = Pattern.compile("lkv_[A-Za-z0-9_-]{43}");
    private static final String PASSWORD = "Marmalade-Comet-Lantern-93";

    @TempDir
    static Path dataDir;

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static FileOutboxMailer outbox;
    private static DynamoDbAuditLog auditLog;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        Map<String, String> variables = new HashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", dataDir.toString());
        variables.put("LATCHKEY_ISSUER", "https://id.example.com");
        lambda = LambdaHarness.start(RegisterApplication.class.getName(), RegisterApplication.FUNCTION, variables);
        outbox = new FileOutboxMailer(dataDir.resolve("outbox"), Clock.systemUTC(), new SecureRandom());
        auditLog = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    private static String event(String name) {
        try {
            return Files.readString(Events.of("register").stream()
                    .filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event file with another body and source IP (so tests do not share rate-limit buckets). */
    private static String event(String name, String sourceIp, Map<String, String> body) {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(event(name));
        String json = new String(Json.write(body), StandardCharsets.UTF_8);
        event.put("body", json);
        ((ObjectNode) event.path("headers")).put("content-length", Integer.toString(
                json.getBytes(StandardCharsets.UTF_8).length));
        ((ObjectNode) event.path("requestContext").path("http")).put("sourceIp", sourceIp);
        return event.toString();
    }

    private static LambdaHarness.Response register(String ip, String email, String password, String name) {
        return lambda.invoke(event("register-created.json", ip, Map.of("email", email, "password", password,
                "name", name)));
    }

    private static LambdaHarness.Response verify(String ip, String token) {
        return lambda.invoke(event("verify-bad-token.json", ip, Map.of("token", token)));
    }

    private static LambdaHarness.Response resend(String ip, String email) {
        return lambda.invoke(event("resend.json", ip, Map.of("email", email)));
    }

    private static String tokenMailedTo(String mailbox) {
        String text = outbox.latest(MailMessage.EMAIL_VERIFICATION, mailbox).orElseThrow().text();
        Matcher matcher = TOKEN.matcher(text);
        assertThat(matcher.find()).as("token in the mail").isTrue();
        return matcher.group();
    }

    private static long mailsTo(String mailbox) {
        return outbox.list().stream().filter(m -> m.message().to().equals(mailbox)).count();
    }

    private static JsonNode withoutRequestId(JsonNode body) {
        if (body.path("error") instanceof ObjectNode error) {
            error.remove("request_id");
        }
        return body;
    }

    @Test
    void everyRegisterEventAnswersItsDocumentedStatusThroughFunctionInvoker() {
        var events = Events.of("register");
        assertThat(events).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(EXPECTED_STATUS.keySet());
        Map<String, JsonNode> bodies = new HashMap<>();
        for (Path file : events) {
            String name = file.getFileName().toString();
            var response = lambda.invoke(event(name));
            assertThat(response.status()).as(name).isEqualTo(EXPECTED_STATUS.get(name));
            assertThat(response.header("content-type")).as(name).isEqualTo("application/json");
            assertThat(response.header("cache-control")).isEqualTo("no-store");
            assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
            assertThat(response.json().path("headers").propertyNames())
                    .doesNotContain("id", "timestamp", "contentType", "aws-context");
            bodies.put(name, response.bodyJson());
        }
        JsonNode created = bodies.get("register-created.json");
        assertThat(created.propertyNames()).containsExactly("user", "organization");
        JsonNode user = created.path("user");
        assertThat(user.propertyNames()).containsExactly("id", "email", "name", "email_verified", "created_at");
        assertThat(user.path("id").asString()).matches("usr_[0-9A-Z]{26}");
        assertThat(user.path("email").asString()).isEqualTo("ada.lovelace@example.com");
        assertThat(user.path("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(user.path("email_verified").isBoolean()).isTrue();
        assertThat(user.path("email_verified").asBoolean()).isFalse();
        assertThat(user.path("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
        JsonNode organization = created.path("organization");
        assertThat(organization.propertyNames()).containsExactly("id", "name", "role");
        assertThat(organization.path("id").asString()).matches("org_[0-9A-Z]{26}");
        assertThat(organization.path("name").asString()).isEqualTo("Ada Lovelace's organization");
        assertThat(organization.path("role").asString()).isEqualTo("owner");

        JsonNode weak = bodies.get("register-weak-password.json").path("error");
        assertThat(weak.path("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(weak.path("details").path("reason").asString()).isEqualTo("TOO_COMMON");
        assertThat(weak.path("details").path("field").asString()).isEqualTo("password");
        assertThat(weak.toString()).doesNotContain("password1234");
        assertThat(bodies.get("register-malformed.json").path("error").path("code").asString())
                .isEqualTo("VALIDATION_ERROR");
        assertThat(bodies.get("register-wrong-content-type.json").path("error").path("code").asString())
                .isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(bodies.get("verify-bad-token.json").path("error").path("details").path("reason").asString())
                .isEqualTo("INVALID_TOKEN");
        assertThat(bodies.get("resend.json")).isEqualTo(Json.mapper().valueToTree(RegisterEndpoints.RESEND_ACCEPTED));
    }

    @Test
    @DisplayName("Register → token from the outbox → verify (200) → second verify 400; both audit events written")
    void registerThenVerifyWithMailedTokenThenSecondVerifyFails() {
        var created = register("198.51.100.1", "grace.hopper@example.com", PASSWORD, "Grace Hopper");
        assertThat(created.status()).isEqualTo(201);
        String userId = created.bodyJson().path("user").path("id").asString();
        String orgId = created.bodyJson().path("organization").path("id").asString();
        MailMessage mail = outbox.latest(MailMessage.EMAIL_VERIFICATION, "grace.hopper@example.com").orElseThrow()
                .message();
        assertThat(mail.text()).contains("https://id.example.com/v1/auth/email/verify");
        String token = tokenMailedTo("grace.hopper@example.com");

        var verified = verify("198.51.100.1", token);

        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.bodyJson().propertyNames()).containsExactly("user");
        assertThat(verified.bodyJson().path("user").path("id").asString()).isEqualTo(userId);
        assertThat(verified.bodyJson().path("user").path("email_verified").asBoolean()).isTrue();
        var again = verify("198.51.100.1", token);
        var unknown = lambda.invoke(event("verify-bad-token.json"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(withoutRequestId(again.bodyJson())).as("a used token looks like an unknown one")
                .isEqualTo(withoutRequestId(unknown.bodyJson()));
        assertThat(again.body()).doesNotContain(token);

        List<AuditEvent> events = auditLog.find(orgId, AuditQuery.latest()).events();
        assertThat(events).extracting(AuditEvent::action)
                .containsExactlyInAnyOrder("account.registered", "account.email_verified");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.actor().id()).isEqualTo(userId);
            assertThat(e.sourceIp()).contains("198.51.100.1");
        });
    }

    @Test
    @DisplayName("[16.5.1] issue 11 §4: a base64 body with invalid, overlong or surrogate UTF-8 bytes → 400 through "
            + "FunctionInvoker, and no account")
    void registerWhenBase64BodyHasBadUtf8ThenValidationErrorAndNoAccount() {
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF0, (byte) 0x9F})) {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes(("{\"email\":\"bytes@example.com\",\"password\":\"" + PASSWORD + "\",\"name\":\"Ada ")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
            ObjectNode event = (ObjectNode) Json.mapper().readTree(event("register-created.json"));
            event.put("body", java.util.Base64.getEncoder().encodeToString(body.toByteArray()));
            event.put("isBase64Encoded", true);
            ((ObjectNode) event.path("requestContext").path("http")).put("sourceIp", "198.51.100.90");

            var response = lambda.invoke(event.toString());

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyJson().path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
            assertThat(response.bodyJson().path("error").path("message").asString())
                    .isEqualTo("Request body is not valid UTF-8.");
        }
        assertThat(mailsTo("bytes@example.com")).as("no account, no mail").isZero();
    }

    @Test
    @DisplayName("issue 11 §4: an unpaired surrogate or a right-to-left override in the name → 400, no account")
    void registerWhenNameHasUnpairedSurrogateOrBidiOverrideThenValidationError() {
        for (String name : List.of("\\ud800", "Ada\\udc00", "Ada\\ud83d", "Ada\\u202eecalevoL")) {
            ObjectNode event = (ObjectNode) Json.mapper().readTree(event("register-created.json"));
            event.put("body", "{\"email\":\"surrogate@example.com\",\"password\":\"" + PASSWORD + "\",\"name\":\""
                    + name + "\"}");
            ((ObjectNode) event.path("requestContext").path("http")).put("sourceIp", "198.51.100.91");

            var response = lambda.invoke(event.toString());

            assertThat(response.status()).as(name).isEqualTo(400);
            assertThat(response.bodyJson().path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
        }
        assertThat(mailsTo("surrogate@example.com")).isZero();
    }

    @Test
    @DisplayName("[2.3.3] A taken email, also spelled with a Kelvin sign or full-width, is 409 CONFLICT")
    void registerWhenEmailTakenThenConflict() {
        assertThat(register("198.51.100.2", "kate@example.com", PASSWORD, "Kate").status()).isEqualTo(201);

        for (String email : List.of("kate@example.com", "\u212Aate@example.com", "ｋａｔｅ＠ｅｘａｍｐｌｅ．ｃｏｍ")) {
            var conflict = register("198.51.100.2", email, "Another-Distinct-Passphrase-7", "Other");
            assertThat(conflict.status()).as(email).isEqualTo(409);
            JsonNode error = conflict.bodyJson().path("error");
            assertThat(error.path("code").asString()).isEqualTo("CONFLICT");
            assertThat(conflict.body()).doesNotContain("kate", "ｋａｔｅ");
        }
    }

    @Test
    @DisplayName("[6.3.8] Resend: unknown, verified and unverified get identical 202s; only unverified gets mail")
    void resendWhenUnknownVerifiedOrUnverifiedThenIdenticalAndOnlyUnverifiedMailed() {
        register("198.51.100.3", "verified@example.com", PASSWORD, "Vera");
        verify("198.51.100.3", tokenMailedTo("verified@example.com"));
        register("198.51.100.3", "pending@example.com", PASSWORD, "Penny");
        long verifiedBefore = mailsTo("verified@example.com");
        long pendingBefore = mailsTo("pending@example.com");

        var unknown = resend("198.51.100.4", "nobody@example.com");
        var verified = resend("198.51.100.4", "verified@example.com");
        var pending = resend("198.51.100.4", "pending@example.com");

        for (var response : List.of(unknown, verified, pending)) {
            assertThat(response.status()).isEqualTo(202);
            assertThat(response.json().path("headers")).isEqualTo(unknown.json().path("headers"));
            assertThat(response.body()).isEqualTo(unknown.body());
        }
        assertThat(mailsTo("verified@example.com")).isEqualTo(verifiedBefore);
        assertThat(mailsTo("pending@example.com")).isEqualTo(pendingBefore + 1);
        assertThat(mailsTo("nobody@example.com")).isZero();
    }

    @Test
    @DisplayName("Resend over the per-address limit still answers 202 and sends nothing")
    void resendWhenRateLimitedThenStill202AndNothingSent() {
        register("198.51.100.5", "flood@example.com", PASSWORD, "Flo");
        long before = mailsTo("flood@example.com");

        for (int i = 0; i < 8; i++) {
            assertThat(resend("198.51.100." + (10 + i), "flood@example.com").status()).isEqualTo(202);
        }

        assertThat(mailsTo("flood@example.com")).isEqualTo(before + 5);
    }

    @Test
    @DisplayName("Registrations per source IP: the 11th in an hour is 429 with Retry-After and RateLimit headers")
    void registerWhenIpOverLimitThenRateLimited() {
        for (int i = 0; i < 10; i++) {
            assertThat(register("192.0.2.77", "limit" + i + "@example.com", PASSWORD, "L").status()).isEqualTo(201);
        }

        var limited = register("192.0.2.77", "limit10@example.com", PASSWORD, "L");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.bodyJson().path("error").path("code").asString()).isEqualTo("RATE_LIMITED");
        assertThat(limited.header("retry-after")).matches("\\d+");
        assertThat(limited.header("ratelimit-limit")).isEqualTo("10");
        assertThat(limited.header("x-ratelimit-remaining")).isEqualTo("0");
        assertThat(register("192.0.2.78", "limit10@example.com", PASSWORD, "L").status()).isEqualTo(201);
    }

    @Test
    @DisplayName("[16.2.5] No password, token or email address reaches any log line")
    void registerVerifyAndResendWhenLoggedThenNoSecretOrAddressInAnyLine() {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        List<String> julLines = new CopyOnWriteArrayList<>();
        Handler jul = new Handler() {
            @Override
            public void publish(LogRecord record) {
                julLines.add(record.getMessage() + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(jul);
        String token;
        try {
            register("198.51.100.40", "secretive.person@example.com", "Zephyr-Quokka-Violet-4711", "Secretive");
            register("198.51.100.40", "secretive.person@example.com", "Zephyr-Quokka-Violet-4711", "Secretive");
            register("198.51.100.40", "weak.person@example.com", "password1234", "Weak");
            token = tokenMailedTo("secretive.person@example.com");
            verify("198.51.100.40", token);
            verify("198.51.100.40", token);
            resend("198.51.100.40", "secretive.person@example.com");
            resend("198.51.100.40", "unknown.person@example.com");
        } finally {
            root.detachAppender(appender);
            java.util.logging.Logger.getLogger("").removeHandler(jul);
        }
        assertThat(appender.list).as("request lines are written").anySatisfy(e ->
                assertThat(e.getFormattedMessage()).contains("\"route\":\"POST /v1/auth/register\""));
        List<String> lines = new java.util.ArrayList<>(julLines);
        appender.list.forEach(e -> lines.add(e.getFormattedMessage() + " " + e.getThrowableProxy()));
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain("Zephyr-Quokka", "password1234",
                token, token.substring(4), "secretive.person", "weak.person", "unknown.person", "$argon2"));
    }
}
