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
import dev.latchkey.core.login.LoginThrottle;
import dev.latchkey.core.login.ThrottlePolicy;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.passkey.Passkey;
import dev.latchkey.infrastructure.account.Argon2idPasswordHasher;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.login.DynamoDbLoginAttempts;
import dev.latchkey.infrastructure.mail.FileOutboxMailer;
import dev.latchkey.infrastructure.passkey.DynamoDbPasskeyRepository;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Every {@code events/login/*.json} and the password flows through the real Lambda entry point
 * ({@code FunctionInvoker}), with the local key vault, the emulated table and the file outbox.
 */
class LoginFunctionInvokerTest {

    private static final Map<String, Integer> EXPECTED_STATUS = Map.of(
            "login-unknown-email.json", 401,
            "login-malformed.json", 400,
            "logout-unknown.json", 204,
            "me-without-token.json", 401,
            "forgot.json", 202,
            "reset-bad-token.json", 400,
            "login-mfa-unknown-token.json", 401,
            "mfa-status-without-token.json", 401);
    private static final Pattern RESET_TOKEN = Pattern.compile("lkp_[A-Za-z0-9_-]{43}");
    private static final String PASSWORD = "Marmalade-Comet-Lantern-93";
    private static final String NEW_PASSWORD = "Quartz-Heron-Saffron-61";
    private static final String RESET_PASSWORD = "Obsidian-Walrus-Tulip-27";

    @TempDir
    static Path dataDir;

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static FileOutboxMailer outbox;
    private static DynamoDbAuditLog auditLog;
    private static DynamoDbUserRepository users;
    private static SortableIdGenerator ids;
    private static DynamoDbPasskeyRepository passkeys;

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
        passkeys = new DynamoDbPasskeyRepository(table.client(), EmulatedTable.TABLE, auditLog);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    /** Creates an account directly (what register does), returning the user. */
    private static User account(String email, String password) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Test Person",
                Argon2idPasswordHasher.owasp(new SecureRandom()).hash(password), false, now, orgId);
        PersonalOrganization organization = new PersonalOrganization(orgId, "Test Person's organization", now, userId);
        users.create(new NewAccount(user, organization, AuditEvent.builder(ids, Clock.systemUTC()).occurredAt(now)
                .organizationId(orgId).actor(Actor.user(userId)).action("account.registered").target("user", userId)
                .requestId("test").build()));
        return user;
    }

    private static String event(String name) {
        try {
            return Files.readString(Events.of("login").stream()
                    .filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event file with another body, source IP and optional bearer token. */
    private static String event(String name, String sourceIp, Map<String, String> body, String bearer) {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(event(name));
        ObjectNode headers = (ObjectNode) event.path("headers");
        if (body != null) {
            String json = new String(Json.write(body), StandardCharsets.UTF_8);
            event.put("body", json);
            headers.put("content-type", "application/json");
            headers.put("content-length", Integer.toString(json.getBytes(StandardCharsets.UTF_8).length));
        }
        if (bearer != null) {
            headers.put("authorization", "Bearer " + bearer);
        }
        ((ObjectNode) event.path("requestContext").path("http")).put("sourceIp", sourceIp);
        return event.toString();
    }

    private static String withRoute(String eventJson, String method, String path) {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(eventJson);
        event.put("routeKey", method + " " + path);
        event.put("rawPath", path);
        ((ObjectNode) event.path("requestContext")).put("routeKey", method + " " + path);
        ((ObjectNode) event.path("requestContext").path("http")).put("method", method).put("path", path);
        return event.toString();
    }

    private static LambdaHarness.Response login(String ip, String email, String password) {
        return lambda.invoke(event("login-unknown-email.json", ip, Map.of("email", email, "password", password),
                null));
    }

    private static LambdaHarness.Response me(String ip, String accessToken) {
        return lambda.invoke(event("me-without-token.json", ip, null, accessToken));
    }

    private static LambdaHarness.Response changePassword(String ip, String accessToken, String current,
            String next) {
        return lambda.invoke(withRoute(event("login-unknown-email.json", ip,
                Map.of("current_password", current, "new_password", next), accessToken), "POST",
                "/v1/users/me/password"));
    }

    private static JsonNode withoutRequestId(JsonNode body) {
        if (body.path("error") instanceof ObjectNode error) {
            error.remove("request_id");
        }
        return body;
    }

    @Test
    void everyLoginEventAnswersItsDocumentedStatusThroughFunctionInvoker() {
        var events = Events.of("login");
        assertThat(events).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(EXPECTED_STATUS.keySet());
        Map<String, LambdaHarness.Response> responses = new HashMap<>();
        for (Path file : events) {
            String name = file.getFileName().toString();
            var response = lambda.invoke(event(name));
            assertThat(response.status()).as(name).isEqualTo(EXPECTED_STATUS.get(name));
            assertThat(response.header("cache-control")).as(name).isEqualTo("no-store");
            responses.put(name, response);
        }
        JsonNode unknown = responses.get("login-unknown-email.json").bodyJson().path("error");
        assertThat(unknown.path("code").asString()).isEqualTo("AUTHENTICATION_FAILED");
        assertThat(responses.get("login-malformed.json").bodyJson().path("error").path("code").asString())
                .isEqualTo("VALIDATION_ERROR");
        assertThat(responses.get("logout-unknown.json").body()).isEmpty();
        var me = responses.get("me-without-token.json");
        assertThat(me.header("www-authenticate")).isEqualTo("Bearer");
        assertThat(me.bodyJson().path("error").path("code").asString()).isEqualTo("AUTHENTICATION_FAILED");
        assertThat(responses.get("forgot.json").bodyJson())
                .isEqualTo(Json.mapper().valueToTree(LoginEndpoints.FORGOT_ACCEPTED));
        assertThat(responses.get("reset-bad-token.json").bodyJson().path("error").path("details").path("reason")
                .asString()).isEqualTo("INVALID_TOKEN");
    }

    @Test
    @DisplayName("login → /me → change password → old 401 → forgot → reset → login with the new one; no secret logged")
    void fullPasswordFlowThroughFunctionInvoker() {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        List<String> secrets = new ArrayList<>();
        User user;
        try {
            user = account("flow.person@example.com", PASSWORD);
            var loggedIn = login("198.51.100.20", "flow.person@example.com", PASSWORD);
            assertThat(loggedIn.status()).isEqualTo(200);
            JsonNode tokens = loggedIn.bodyJson();
            assertThat(tokens.propertyNames()).containsExactly("access_token", "token_type", "expires_in",
                    "refresh_token", "session_id", "user");
            assertThat(tokens.path("token_type").asString()).isEqualTo("Bearer");
            assertThat(tokens.path("user").path("id").asString()).isEqualTo(user.id());
            String access = tokens.path("access_token").asString();
            secrets.add(access);
            secrets.add(tokens.path("refresh_token").asString());
            String[] parts = access.split("\\.");
            assertThat(new String(java.util.Base64.getUrlDecoder().decode(parts[0]),
                    java.nio.charset.StandardCharsets.UTF_8)).as("issue 12 §1: typ JWT by default")
                    .contains("\"typ\":\"JWT\"");
            assertThat(Json.mapper().readTree(java.util.Base64.getUrlDecoder().decode(parts[1]))
                    .path("client_id").asString()).as("the first-party client").isEqualTo("latchkey");

            var me = me("198.51.100.20", access);
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.bodyJson().path("user").propertyNames())
                    .containsExactly("id", "email", "name", "email_verified", "created_at");
            assertThat(me.bodyJson().path("user").path("id").asString()).isEqualTo(user.id());
            JsonNode memberships = me.bodyJson().path("memberships");
            assertThat(memberships).hasSize(1);
            assertThat(memberships.get(0).path("organization_id").asString()).isEqualTo(user.personalOrganizationId());
            assertThat(memberships.get(0).path("name").asString()).isEqualTo("Test Person's organization");
            assertThat(memberships.get(0).path("role").asString()).isEqualTo("owner");
            assertThat(me("198.51.100.20", "not-a-token").header("www-authenticate"))
                    .isEqualTo("Bearer error=\"invalid_token\"");

            var sessions = lambda.invoke(withRoute(event("me-without-token.json", "198.51.100.20", null, access),
                    "GET", "/v1/users/me/sessions"));
            assertThat(sessions.status()).isEqualTo(200);
            assertThat(sessions.bodyJson().path("sessions").get(0).path("current").asBoolean()).isTrue();

            String otherAccess = login("198.51.100.20", "flow.person@example.com", PASSWORD).bodyJson()
                    .path("access_token").asString();
            secrets.add(otherAccess);
            assertThat(me("198.51.100.20", otherAccess).status()).isEqualTo(200);
            assertThat(changePassword("198.51.100.20", access, "Wrong-Password-000", NEW_PASSWORD).status())
                    .isEqualTo(401);
            assertThat(changePassword("198.51.100.20", access, PASSWORD, NEW_PASSWORD).status()).isEqualTo(204);
            var ended = me("198.51.100.20", otherAccess);
            assertThat(ended.status()).as("Issue 11 §1: the other session's access token fails at once")
                    .isEqualTo(401);
            assertThat(ended.header("www-authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
            assertThat(me("198.51.100.20", access).status()).as("Issue 11 §1: the caller's own session ends too")
                    .isEqualTo(401);
            assertThat(login("198.51.100.20", "flow.person@example.com", PASSWORD).status()).isEqualTo(401);
            var second = login("198.51.100.20", "flow.person@example.com", NEW_PASSWORD);
            assertThat(second.status()).isEqualTo(200);
            secrets.add(second.bodyJson().path("access_token").asString());

            var forgot = lambda.invoke(event("forgot.json", "198.51.100.20",
                    Map.of("email", "flow.person@example.com"), null));
            assertThat(forgot.status()).isEqualTo(202);
            String text = outbox.latest(MailMessage.PASSWORD_RESET, "flow.person@example.com").orElseThrow().text();
            Matcher matcher = RESET_TOKEN.matcher(text);
            assertThat(matcher.find()).isTrue();
            String resetToken = matcher.group();
            secrets.add(resetToken);

            var reset = lambda.invoke(event("reset-bad-token.json", "198.51.100.20",
                    Map.of("token", resetToken, "password", RESET_PASSWORD), null));
            assertThat(reset.status()).isEqualTo(204);
            String secondAccess = second.bodyJson().path("access_token").asString();
            var afterReset = me("198.51.100.20", secondAccess);
            assertThat(afterReset.status()).as("Issue 11 §1: a reset ends every session's access token at once")
                    .isEqualTo(401);
            assertThat(afterReset.header("www-authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
            assertThat(me("198.51.100.20", access).status()).isEqualTo(401);
            var again = lambda.invoke(event("reset-bad-token.json", "198.51.100.20",
                    Map.of("token", resetToken, "password", RESET_PASSWORD), null));
            assertThat(again.status()).as("single use").isEqualTo(400);
            assertThat(login("198.51.100.20", "flow.person@example.com", NEW_PASSWORD).status()).isEqualTo(401);
            var last = login("198.51.100.20", "flow.person@example.com", RESET_PASSWORD);
            assertThat(last.status()).isEqualTo(200);
            secrets.add(last.bodyJson().path("refresh_token").asString());
        } finally {
            root.detachAppender(appender);
        }
        List<String> actions = auditLog.find(user.personalOrganizationId(), AuditQuery.builder().limit(100).build())
                .events().stream().map(AuditEvent::action).toList();
        assertThat(actions).contains("auth.login.succeeded", "auth.login.failed", "auth.password.changed",
                "auth.password.reset");
        assertThat(appender.list).as("request lines are written").isNotEmpty();
        List<String> lines = appender.list.stream().map(e -> e.getFormattedMessage() + " " + e.getThrowableProxy())
                .toList();
        List<String> forbidden = new ArrayList<>(List.of(PASSWORD, NEW_PASSWORD, RESET_PASSWORD, "flow.person",
                "$argon2"));
        forbidden.addAll(secrets);
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(forbidden));
    }

    @Test
    @DisplayName("[6.3.8] Unknown email and wrong password: identical status, body and headers")
    void loginWhenUnknownEmailOrWrongPasswordThenIdenticalAnswers() {
        account("known.person@example.com", PASSWORD);

        var unknown = login("198.51.100.30", "unknown.person@example.com", PASSWORD);
        var wrong = login("198.51.100.30", "known.person@example.com", "Not-The-Password-11");

        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(withoutRequestId(wrong.bodyJson())).isEqualTo(withoutRequestId(unknown.bodyJson()));
        assertThat(wrong.json().path("headers")).isEqualTo(unknown.json().path("headers"));
    }

    @Test
    @DisplayName("[6.3.1] Six wrong passwords, then the right one is refused with the same 401")
    void loginWhenLockedThenRightPasswordRefusedLikeWrongOne() {
        User user = account("locked.person@example.com", PASSWORD);
        LambdaHarness.Response wrong = null;
        for (int i = 0; i < 6; i++) {
            wrong = login("198.51.100.31", "locked.person@example.com", "Not-The-Password-" + i);
            assertThat(wrong.status()).isEqualTo(401);
        }
        // The sixth failure locked the account for 1 s. Stretch the lock so a slow machine cannot
        // outlive it: ten more failures, each recorded the moment the previous lock ends (1 s
        // doubling to 512 s), leave the account locked for about 17 minutes.
        var policy = ThrottlePolicy.defaults();
        var store = new DynamoDbLoginAttempts(table.client(), EmulatedTable.TABLE, policy.memory(), Clock.systemUTC());
        String key = LoginThrottle.accountKey(EmailAddress.parse("locked.person@example.com").canonical());
        Instant at = Instant.now();
        for (int i = 0; i < 10; i++) {
            at = store.recordFailure(key, at, policy).lockedUntil();
        }
        assertThat(at).isAfter(Instant.now().plusSeconds(600));

        var locked = login("198.51.100.31", "locked.person@example.com", PASSWORD);

        assertThat(locked.status()).isEqualTo(401);
        assertThat(withoutRequestId(locked.bodyJson())).isEqualTo(withoutRequestId(wrong.bodyJson()));
        assertThat(locked.json().path("headers")).isEqualTo(wrong.json().path("headers"));
        List<AuditEvent> failed = auditLog.find(user.personalOrganizationId(), AuditQuery.latest()).events().stream()
                .filter(e -> e.action().equals("auth.login.failed")).toList();
        assertThat(failed).hasSize(7);
        assertThat(failed.get(0).details()).containsEntry("reason", "locked");
    }

    /** The caller lists and ends its own sessions; another user's session id answers 404 [8.2.2]. */
    @Test
    void sessionsWhenListedAndEndedThenOnlyTheCallersOwnAndAnotherUsersIdIsNotFound() {
        account("sessions.owner@example.com", PASSWORD);
        account("sessions.other@example.com", PASSWORD);
        var first = login("198.51.100.41", "sessions.owner@example.com", PASSWORD).bodyJson();
        var second = login("198.51.100.41", "sessions.owner@example.com", PASSWORD).bodyJson();
        var other = login("198.51.100.41", "sessions.other@example.com", PASSWORD).bodyJson();
        String access = second.path("access_token").asString();

        var listed = lambda.invoke(withRoute(event("me-without-token.json", "198.51.100.41", null, access), "GET",
                "/v1/users/me/sessions"));
        assertThat(listed.status()).isEqualTo(200);
        var sessions = listed.bodyJson().path("sessions");
        assertThat(sessions.valueStream().map(n -> n.path("id").asString()))
                .contains(first.path("session_id").asString(), second.path("session_id").asString())
                .doesNotContain(other.path("session_id").asString());
        assertThat(sessions.valueStream().filter(n -> n.path("current").asBoolean()).map(n -> n.path("id").asString()))
                .containsExactly(second.path("session_id").asString());

        var foreign = lambda.invoke(withRoute(event("me-without-token.json", "198.51.100.41", null, access), "DELETE",
                "/v1/users/me/sessions/" + other.path("session_id").asString()));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.bodyJson().path("error").path("code").asString()).isEqualTo("NOT_FOUND");

        var ended = lambda.invoke(withRoute(event("me-without-token.json", "198.51.100.41", null, access), "DELETE",
                "/v1/users/me/sessions/" + first.path("session_id").asString()));
        assertThat(ended.status()).isEqualTo(204);
        var afterEnd = lambda.invoke(withRoute(event("me-without-token.json", "198.51.100.41", null, access), "GET",
                "/v1/users/me/sessions")).bodyJson().path("sessions");
        assertThat(afterEnd.valueStream().map(n -> n.path("id").asString()))
                .doesNotContain(first.path("session_id").asString());

        var withoutToken = lambda.invoke(withRoute(event("me-without-token.json"), "GET", "/v1/users/me/sessions"));
        assertThat(withoutToken.status()).isEqualTo(401);
    }

    @Test
    @DisplayName("issue 20 §3: reset with remove_passkeys_added_since removes newer passkeys and says how many")
    void resetWhenRemovePasskeysAddedSinceThenNewerPasskeysOfThatUserAreRemovedAndCounted() {
        User user = account("planted.person@example.com", PASSWORD);
        User other = account("planted.other@example.com", PASSWORD);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Passkey own = passkey(user, now.minus(Duration.ofDays(30)));
        Passkey planted = passkey(user, now.minus(Duration.ofHours(2)));
        Passkey othersNewer = passkey(other, now.minus(Duration.ofHours(2)));
        String access = login("198.51.100.50", "planted.person@example.com", PASSWORD).bodyJson()
                .path("access_token").asString();
        assertThat(lambda.invoke(event("forgot.json", "198.51.100.50", Map.of("email", "planted.person@example.com"),
                null)).status()).isEqualTo(202);
        String text = outbox.latest(MailMessage.PASSWORD_RESET, "planted.person@example.com").orElseThrow().text();
        assertThat(text).as("the mail offers it").contains("\"remove_passkeys_added_since\"");
        Matcher matcher = RESET_TOKEN.matcher(text);
        assertThat(matcher.find()).isTrue();
        String since = now.minus(Duration.ofDays(1)).toString();

        var malformed = lambda.invoke(event("reset-bad-token.json", "198.51.100.50", Map.of("token", matcher.group(),
                "password", RESET_PASSWORD, "remove_passkeys_added_since", "yesterday"), null));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.bodyJson().path("error").path("details").path("reason").asString())
                .isEqualTo("INVALID_DATE_TIME");
        var reset = lambda.invoke(event("reset-bad-token.json", "198.51.100.50", Map.of("token", matcher.group(),
                "password", RESET_PASSWORD, "remove_passkeys_added_since", since), null));

        assertThat(reset.status()).as("a malformed time left the token usable").isEqualTo(200);
        assertThat(reset.bodyJson().propertyNames()).containsExactly("passkeys_removed", "sessions_ended");
        assertThat(reset.bodyJson().path("passkeys_removed").asInt()).isEqualTo(1);
        assertThat(reset.bodyJson().path("sessions_ended").asInt()).isEqualTo(1);
        assertThat(passkeys.findByUser(user.id())).extracting(Passkey::id).containsExactly(own.id());
        assertThat(passkeys.findByCredentialId(planted.credentialId())).as("its lookup item went too").isEmpty();
        assertThat(passkeys.findByUser(other.id())).extracting(Passkey::id).containsExactly(othersNewer.id());
        assertThat(me("198.51.100.50", access).status()).as("sessions end as a reset does").isEqualTo(401);
        List<AuditEvent> removed = auditLog.find(user.personalOrganizationId(), AuditQuery.builder().limit(100)
                .build()).events().stream().filter(e -> e.action().equals("passkey.removed")).toList();
        assertThat(removed).singleElement().satisfies(e -> {
            assertThat(e.target().orElseThrow().id()).isEqualTo(planted.id());
            assertThat(e.details()).containsEntry("reason", "password_reset").containsEntry("added_since",
                    Instant.parse(since).toString());
        });
    }

    /** A passkey stored directly (what registration does), created at {@code createdAt}. */
    private static Passkey passkey(User user, Instant createdAt) {
        String id = ids.next(IdPrefix.PASSKEY);
        Passkey passkey = new Passkey(id, user.id(), "cred" + id.substring(3), "aGFuZGxl", "a2V5", -7, 0, true,
                false, false, List.of("internal"), "00000000-0000-0000-0000-000000000000", "Laptop", createdAt,
                Optional.empty());
        passkeys.add(passkey, AuditEvent.builder(ids, Clock.systemUTC()).organizationId(user.personalOrganizationId())
                .actor(Actor.user(user.id())).action("passkey.added").target("passkey", id).requestId("test")
                .build());
        return passkey;
    }
}
