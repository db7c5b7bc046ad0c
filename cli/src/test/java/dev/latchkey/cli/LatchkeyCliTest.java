package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.login.LoginException;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command end to end: picocli's harness, the emulator, and core's use cases to check the effect. */
class LatchkeyCliTest {

    static final String PASSWORD = "Marmalade-Comet-Lantern-93";
    static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-cli-test");

    private static EmulatedTable emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = EmulatedTable.start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    /** A user with a password and a personal organization, written as registration writes them. */
    static User user(LatchkeyRuntime runtime, String email) {
        CompositionRoot root = CliHarness.root(runtime);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String userId = runtime.ids().next(IdPrefix.USER);
        String orgId = runtime.ids().next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Test User",
                root.passwordHasher().hash(root.passwordPolicy().normalize(PASSWORD)), true, now, orgId);
        AuditEvent event = AuditEvent.builder(runtime.ids(), runtime.clock()).occurredAt(now).organizationId(orgId)
                .actor(Actor.user(userId)).action("account.registered").target("user", userId)
                .requestId("req-test").build();
        root.users().create(new NewAccount(user, new PersonalOrganization(orgId, "Test org", now, userId), event));
        return user;
    }

    @Test
    void helpWhenAskedOfEveryCommandThenUsageAndExitZero() {
        List<List<String>> paths = new ArrayList<>();
        collect(LatchkeyCli.commandLine(Map.of()), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThanOrEqualTo(14);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliHarness.Run run = CliHarness.run(Map.of(), args.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).contains("Usage: latchkey");
        }
        CliHarness.Run root = CliHarness.run(Map.of(), "--help");
        assertThat(root.out()).contains("Exit codes:", "bootstrap", "api-key", "export", "import");
    }

    private static void collect(CommandLine line, List<String> prefix, List<List<String>> paths) {
        paths.add(List.copyOf(prefix));
        line.getSubcommands().forEach((name, sub) -> {
            List<String> next = new ArrayList<>(prefix);
            next.add(name);
            collect(sub, next, paths);
        });
    }

    @Test
    void usageWhenCommandOrOptionMissingThenExitTwo() {
        assertThat(CliHarness.run(Map.of()).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliHarness.run(Map.of(), "api-key").exitCode()).isEqualTo(ExitCodes.USAGE);
        CliHarness.Run run = CliHarness.run(Map.of(), "bootstrap", "--org", "Acme");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--email");
    }

    @Test
    void bootstrapWhenEmptyThenOwnerSetsOwnPasswordWithTheTokenAndSecondRunRefused() {
        Map<String, String> env = CliHarness.freshTable(emulator);
        CliHarness.Run run = CliHarness.run(env, "bootstrap", "--email", "root@example.com", "--org", "Acme",
                "--output", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, Object> json = run.json();
        String token = (String) json.get("reset_token");
        assertThat(token).startsWith("lkp_");
        assertThat(json.get("reset_url")).isEqualTo("http://localhost:3000/v1/auth/password/reset");
        assertThat(CliHarness.run(env, "keys", "rotate").exitCode()).isZero(); // the first signing key
        try (LatchkeyRuntime runtime = CliHarness.runtime(env)) {
            CompositionRoot root = CliHarness.root(runtime);
            User owner = root.users().findByEmail("root@example.com").orElseThrow();
            assertThat(owner.id()).isEqualTo(json.get("user_id"));
            assertThat(owner.hasPassword()).isFalse();
            assertThat(owner.emailVerified()).isTrue();
            assertThat(root.organizations().find((String) json.get("organization_id")).orElseThrow().name())
                    .isEqualTo("Acme");
            // No password works until the owner sets one with the token; the token works once.
            assertThatThrownBy(() -> root.passwordLogin().login("root@example.com", PASSWORD, ORIGIN))
                    .isInstanceOf(LoginException.class);
            root.resetPassword().reset(token, PASSWORD, ORIGIN);
            assertThat(root.passwordLogin().login("root@example.com", PASSWORD, ORIGIN)
                    .tokens().accessToken()).isNotBlank();
            assertThatThrownBy(() -> root.resetPassword().reset(token, PASSWORD + "!", ORIGIN))
                    .isInstanceOf(LoginException.class);
        }
        CliHarness.Run again = CliHarness.run(env, "bootstrap", "--email", "other@example.com", "--org", "Evil");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.err()).contains("already has accounts").doesNotContain("other@example.com");
    }

    @Test
    void apiKeyCreateWhenOrganizationExistsThenKeyVerifiesAndRevokeStopsIt() {
        Map<String, String> env = CliHarness.freshTable(emulator);
        try (LatchkeyRuntime runtime = CliHarness.runtime(env)) {
            CompositionRoot root = CliHarness.root(runtime);
            User owner = user(runtime, "owner@example.com");
            CliHarness.Run created = CliHarness.run(env, "api-key", "create", "--org", owner.personalOrganizationId(),
                    "--name", "admin", "--permission", "org:read,api_key:create,team:manage", "--output", "json");
            assertThat(created.exitCode()).as(created.err()).isZero();
            String secret = (String) created.json().get("key");
            String keyId = (String) created.json().get("id");
            assertThat(root.verifyApiKey().verify(secret, Optional.of("org:read")).valid()).isTrue();

            CliHarness.Run revoked = CliHarness.run(env, "api-key", "revoke", "--org",
                    owner.personalOrganizationId(), keyId, "--reason", "rotated");
            assertThat(revoked.exitCode()).as(revoked.err()).isZero();
            root.apiKeyCache().invalidate(keyId);
            assertThat(root.verifyApiKey().verify(secret, Optional.empty()).valid()).isFalse();

            CliHarness.Run unknown = CliHarness.run(env, "api-key", "create", "--org", "org_01JXXXXXXXXXXXXXXXXXXXXXXX",
                    "--name", "x", "--output", "json");
            assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(unknown.err()).contains("\"code\":\"NOT_FOUND\"");
        }
    }

    @Test
    void orgListAndUserShowWhenUsersExistThenListedWithoutSecrets() {
        Map<String, String> env = CliHarness.freshTable(emulator);
        try (LatchkeyRuntime runtime = CliHarness.runtime(env)) {
            CompositionRoot root = CliHarness.root(runtime);
            User ada = user(runtime, "ada@example.com");
            User bob = user(runtime, "bob@example.com");
            CliHarness.Run list = CliHarness.run(env, "org", "list", "--output", "json");
            assertThat(list.exitCode()).isZero();
            assertThat(list.out()).contains(ada.personalOrganizationId(), bob.personalOrganizationId());
            CliHarness.Run text = CliHarness.run(env, "org", "list");
            assertThat(text.out()).contains("Test org", ada.personalOrganizationId());

            CliHarness.Run show = CliHarness.run(env, "user", "show", "ada@example.com", "--output", "json");
            assertThat(show.exitCode()).as(show.err()).isZero();
            assertThat(show.json()).containsEntry("id", ada.id()).containsEntry("password", "argon2id");
            assertThat(show.out()).doesNotContain("$argon2id$").contains(ada.personalOrganizationId());
            assertThat(CliHarness.run(env, "user", "show", "nobody@example.com").exitCode())
                    .isEqualTo(ExitCodes.FAILED);
        }
    }

    @Test
    void sessionsRevokeWhenUserHasSessionsThenAllEndAndRefreshFails() {
        Map<String, String> env = CliHarness.freshTable(emulator);
        try (LatchkeyRuntime runtime = CliHarness.runtime(env)) {
            CompositionRoot root = CliHarness.root(runtime);
            root.rotateSigningKeys().run("req-test");
            User ada = user(runtime, "ada@example.com");
            TokenResponse first = root.passwordLogin().login("ada@example.com", PASSWORD, ORIGIN).tokens();
            root.passwordLogin().login("ada@example.com", PASSWORD, ORIGIN);
            CliHarness.Run run = CliHarness.run(env, "sessions", "revoke", "--user", ada.id(), "--output", "json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.json()).containsEntry("sessions_ended", 2);
            assertThatThrownBy(() -> root.refreshSession().refresh(first.refreshToken(), "203.0.113.10", "req-2"))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void userDisableWhenSignedInThenNoLoginNoRefreshUntilEnabled() {
        Map<String, String> env = CliHarness.freshTable(emulator);
        try (LatchkeyRuntime runtime = CliHarness.runtime(env)) {
            CompositionRoot root = CliHarness.root(runtime);
            root.rotateSigningKeys().run("req-test");
            User ada = user(runtime, "ada@example.com");
            TokenResponse session = root.passwordLogin().login("ada@example.com", PASSWORD, ORIGIN).tokens();

            CliHarness.Run disabled = CliHarness.run(env, "user", "disable", "ada@example.com", "--output", "json");
            assertThat(disabled.exitCode()).as(disabled.err()).isZero();
            assertThat(disabled.json()).containsEntry("sessions_ended", 1);
            assertThatThrownBy(() -> root.passwordLogin().login("ada@example.com", PASSWORD, ORIGIN))
                    .isInstanceOf(LoginException.class);
            assertThatThrownBy(() -> root.refreshSession().refresh(session.refreshToken(), "203.0.113.10", "r"))
                    .isInstanceOf(RuntimeException.class);
            assertThat(root.userProfiles().find(ada.id())).as("a disabled user refreshes nothing").isEmpty();
            assertThat(CliHarness.run(env, "user", "show", ada.id(), "--output", "json").json())
                    .containsEntry("disabled", true);

            assertThat(CliHarness.run(env, "user", "enable", ada.id()).exitCode()).isZero();
            TokenResponse again = root.passwordLogin().login("ada@example.com", PASSWORD, ORIGIN).tokens();
            assertThat(root.refreshSession().refresh(again.refreshToken(), "203.0.113.10", "r").accessToken())
                    .isNotBlank();
        }
    }

    @Test
    void keysRotateWhenRingEmptyThenCreatesAndActivatesAKey() {
        Map<String, String> env = CliHarness.freshTable(emulator);
        CliHarness.Run run = CliHarness.run(env, "keys", "rotate", "--output", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.json()).containsEntry("changed", true);
        assertThat((String) run.json().get("active_kid")).isNotBlank();
        CliHarness.Run again = CliHarness.run(env, "keys", "rotate");
        assertThat(again.out()).startsWith("Nothing due");
    }

    @Test
    void localDataFolderWhenNoEndpointThenCommandsShareItsDatabaseAndARunningServerBlocksThem(@TempDir Path dir)
            throws Exception {
        Map<String, String> env = Map.of("LATCHKEY_DATA_DIR", dir.toString(), "LATCHKEY_KEY_VAULT", "local");
        CliHarness.Run bootstrap = CliHarness.run(env, "bootstrap", "--email", "root@example.com", "--org", "Local",
                "--output", "json");
        assertThat(bootstrap.exitCode()).as(bootstrap.err()).isZero();
        assertThat(Files.exists(dir.resolve("master.key"))).isTrue();
        CliHarness.Run list = CliHarness.run(env, "org", "list", "--output", "json");
        assertThat(list.out()).contains((String) bootstrap.json().get("organization_id"));
        try (FileChannel channel = FileChannel.open(dir.resolve(Deployment.LOCK_FILE), StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            CliHarness.Run busy = CliHarness.run(env, "org", "list");
            assertThat(busy.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(busy.err()).contains("in use");
        }
    }
}
