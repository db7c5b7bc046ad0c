package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.User;
import dev.latchkey.core.apikey.CreateApiKeyCommand;
import dev.latchkey.core.apikey.CreatedApiKey;
import dev.latchkey.core.application.ApplicationSettings;
import dev.latchkey.core.application.CreatedApplication;
import dev.latchkey.core.client.PresentedClientCredentials;
import dev.latchkey.core.passkey.PasskeyOptions;
import dev.latchkey.core.passkey.SoftwareAuthenticator;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.sso.DynamoDbConsents;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's round trip: export a deployment, import it into an empty table (same key vault), and every user logs
 * in with the same password and passkey, every API key verifies, an application's secret authenticates at the token
 * endpoint's check and a remembered consent is still there (issue 15); a bcrypt hash from another system logs in and
 * is rehashed to Argon2id; a second import changes nothing; a malformed line is reported by number and skipped.
 */
class ExportImportRoundTripTest {

    /** libxcrypt's {@code crypt("correct-horse-staple-92!", "$2b$10$abcdefghijklmnopqrstuu")}: another system's. */
    static final String FOREIGN_BCRYPT = "$2b$10$abcdefghijklmnopqrstuupqs9X8w1bqZ7LSdBX/jq3pGfF0/yJQy";
    static final String FOREIGN_PASSWORD = "correct-horse-staple-92!";

    private static EmulatedTable emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = EmulatedTable.start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Test
    void exportThenImportIntoEmptyTableWhenUsersLogInAgainThenSamePasswordsPasskeysAndKeysWork(@TempDir Path dir)
            throws Exception {
        Map<String, String> source = CliHarness.freshTable(emulator);
        Map<String, String> target = CliHarness.freshTable(emulator);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        String secret;
        String keyId;
        String applicationId;
        String applicationSecret;
        User ada;
        try (LatchkeyRuntime runtime = CliHarness.runtime(source)) {
            CompositionRoot root = CliHarness.root(runtime);
            root.rotateSigningKeys().run("req-test");
            ada = LatchkeyCliTest.user(runtime, "ada@example.com");
            LatchkeyCliTest.user(runtime, "bob@example.com");
            register(root, ada, authenticator);
            CreatedApiKey created = root.manageApiKeys().create(ApiKeyCommands.ownerAccess(root,
                    ada.personalOrganizationId()), new CreateApiKeyCommand("ci", List.of("org:read"), Optional.empty(),
                    Optional.empty(), Optional.empty()), ApiKeyCommands.origin());
            secret = created.token().value();
            keyId = created.key().id();
            assertThat(root.verifyApiKey().verify(secret, Optional.empty()).valid()).isTrue();
            CreatedApplication app = root.manageApplications().create(ApiKeyCommands.ownerAccess(root,
                    ada.personalOrganizationId()), new ApplicationSettings(Optional.of("Portal"),
                    Optional.of("confidential"), Optional.empty(), Optional.of(List.of("https://rp.example/cb")),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                    ApiKeyCommands.origin());
            applicationId = app.application().clientId();
            applicationSecret = app.secret().orElseThrow();
            consents(runtime, source).grant(ada.id(), applicationId, Set.of("openid", "email"), Instant.now());
        }
        Path file = dir.resolve("latchkey.jsonl");
        CliHarness.Run export = CliHarness.run(source, "export", "--out", file.toString(), "--output", "json");
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.json()).containsEntry("users", 2);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).contains("\"type\":\"latchkey-export\"");
        assertThat(lines.get(1)).contains("\"type\":\"user\"", "\"password_hash\":\"$argon2id$");
        assertThat(String.join("\n", lines)).contains("\"kind\":\"api_key\"", "\"kind\":\"passkey\"",
                "\"kind\":\"pepper\"", "\"kind\":\"organization\"", "\"kind\":\"member\"",
                "\"kind\":\"application\"", "\"kind\":\"application_marker\"", "\"kind\":\"consent\"")
                .doesNotContain("SESSION#", "REFRESH#", "AUDIT#", secret, applicationSecret);
        // Another system's user, and a line that is not JSON, appended.
        Files.writeString(file, "{\"type\":\"user\",\"email\":\"carol@example.com\",\"name\":\"Carol\","
                + "\"email_verified\":true,\"password_hash\":\"" + FOREIGN_BCRYPT + "\"}\n{not json\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        int malformedLine = lines.size() + 2;

        CliHarness.Run dryRun = CliHarness.run(target, "import", "--in", file.toString(), "--dry-run");
        assertThat(dryRun.exitCode()).isEqualTo(ExitCodes.PARTIAL);
        try (LatchkeyRuntime runtime = CliHarness.runtime(target)) {
            assertThat(CliHarness.root(runtime).deploymentInventory().hasAccounts()).isFalse();
        }

        CliHarness.Run imported = CliHarness.run(target, "import", "--in", file.toString(), "--output", "json");
        assertThat(imported.exitCode()).as(imported.err()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(imported.out()).contains("\"line\":" + malformedLine, "not a JSON object");
        @SuppressWarnings("unchecked")
        Map<String, Integer> created = (Map<String, Integer>) imported.json().get("created");
        assertThat(created).containsEntry("user", 3).containsEntry("api_key", 1).containsEntry("passkey", 1)
                .containsEntry("application", 1).containsEntry("application_marker", 1).containsEntry("consent", 1);

        try (LatchkeyRuntime runtime = CliHarness.runtime(target)) {
            CompositionRoot root = CliHarness.root(runtime);
            root.rotateSigningKeys().run("req-test");
            assertThat(root.passwordLogin().login("ada@example.com", LatchkeyCliTest.PASSWORD,
                    LatchkeyCliTest.ORIGIN).tokens().accessToken()).isNotBlank();
            assertThat(root.passwordLogin().login("bob@example.com", LatchkeyCliTest.PASSWORD,
                    LatchkeyCliTest.ORIGIN).tokens().accessToken()).isNotBlank();
            assertThat(root.verifyApiKey().verify(secret, Optional.of("org:read")).valid()).isTrue();
            assertThat(root.authenticateApplication().authenticate(Optional.of(new PresentedClientCredentials.Secret(
                    applicationId, applicationSecret, true)), Optional.empty(), ApiKeyCommands.origin()).clientId())
                    .as("the application's secret, hashed under the imported pepper, authenticates").isEqualTo(
                            applicationId);
            assertThat(consents(runtime, target).granted(ada.id(), applicationId)).containsExactlyInAnyOrder(
                    "openid", "email");
            assertThat(root.organizations().contents(ada.personalOrganizationId()).applications())
                    .as("the marker came along: the organization's delete still counts the application").isEqualTo(1);
            assertThat(root.manageApiKeys().show(ApiKeyCommands.ownerAccess(root, ada.personalOrganizationId()),
                    keyId).id()).isEqualTo(keyId);
            PasskeyOptions options = root.startPasskeyLogin().start(Optional.empty(), LatchkeyCliTest.ORIGIN);
            assertThat(root.finishPasskeyLogin().finish(options.challengeId(), authenticator.authenticate(
                    options.publicKey(), SoftwareAuthenticator.Emulation.at(LambdaHarness.ISSUER)),
                    LatchkeyCliTest.ORIGIN).accessToken()).isNotBlank();

            User carol = root.users().findByEmail("carol@example.com").orElseThrow();
            assertThat(carol.passwordHash()).isEqualTo(FOREIGN_BCRYPT);
            assertThat(root.organizations().find(carol.personalOrganizationId())).isPresent();
            root.passwordLogin().login("carol@example.com", FOREIGN_PASSWORD, LatchkeyCliTest.ORIGIN);
            assertThat(root.users().findById(carol.id()).orElseThrow().passwordHash()).startsWith("$argon2id$");
            root.passwordLogin().login("carol@example.com", FOREIGN_PASSWORD, LatchkeyCliTest.ORIGIN);
        }

        CliHarness.Run again = CliHarness.run(target, "import", "--in", file.toString(), "--output", "json");
        assertThat(again.json().get("created")).isEqualTo(Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Integer> existing = (Map<String, Integer>) again.json().get("existing");
        assertThat(existing).containsEntry("user", 3).containsEntry("api_key", 1);
    }

    @Test
    void importWhenLinesInvalidThenEachReportedWithItsNumberAndTheRestImported(@TempDir Path dir) throws Exception {
        Map<String, String> target = CliHarness.freshTable(emulator);
        Path file = dir.resolve("users.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"type\":\"user\",\"email\":\"dan@example.com\",\"password_hash\":\"" + FOREIGN_BCRYPT + "\"}",
                "{\"type\":\"user\",\"email\":\"eve@example.com\",\"password_hash\":\"$md5$abc\"}",
                "{\"type\":\"user\",\"email\":\"not an address\"}",
                "{\"type\":\"item\",\"kind\":\"session\",\"item\":{}}",
                "{\"type\":\"item\",\"kind\":\"api_key\",\"item\":{\"pk\":{\"S\":\"USER#usr_1\"},"
                        + "\"sk\":{\"S\":\"x\"}}}",
                "",
                "{\"type\":\"user\",\"email\":\"fay@example.com\"}") + "\n");
        CliHarness.Run run = CliHarness.run(target, "import", "--in", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(run.err()).contains("line 2: password_hash", "line 3: invalid email", "line 4: unknown item kind",
                "line 5: item key does not match").doesNotContain("line 1:", "line 7:", "$md5$abc");
        assertThat(run.out()).contains("skipped 4 line(s)");
        try (LatchkeyRuntime runtime = CliHarness.runtime(target)) {
            CompositionRoot root = CliHarness.root(runtime);
            assertThat(root.users().findByEmail("dan@example.com")).isPresent();
            assertThat(root.users().findByEmail("fay@example.com").orElseThrow().hasPassword()).isFalse();
            assertThat(root.users().findByEmail("eve@example.com")).isEmpty();
        }
    }

    private static DynamoDbConsents consents(LatchkeyRuntime runtime, Map<String, String> table) {
        return new DynamoDbConsents(runtime.dynamoDb(), table.get("LATCHKEY_TABLE_NAME"));
    }

    private static void register(CompositionRoot root, User user, SoftwareAuthenticator authenticator) {
        // Signed in just now: adding a passkey needs a recent sign-in (issue 20 §3).
        AuthenticatedUser caller = new AuthenticatedUser(user.id(), "ses_01JAAAAAAAAAAAAAAAAAAAAAAA", List.of("pwd"),
                Optional.of(Instant.now()));
        PasskeyOptions options = root.startPasskeyRegistration().start(caller, LatchkeyCliTest.ORIGIN);
        SoftwareAuthenticator.Registration registration = authenticator.register(options.publicKey(),
                SoftwareAuthenticator.Emulation.at(LambdaHarness.ISSUER));
        root.finishPasskeyRegistration().finish(caller, options.challengeId(), registration.json(), Optional.empty(),
                LatchkeyCliTest.ORIGIN);
    }
}
