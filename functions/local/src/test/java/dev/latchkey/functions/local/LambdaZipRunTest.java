package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every function's Lambda zip, run as Lambda runs it: its own classpath only (the zip's root and {@code lib/}, in a
 * new JVM), {@code FunctionInvoker} through {@code InvokeOnce}, one real event that reaches the table, the key vault
 * and the function's heavy libraries (Argon2 for login, mail for register). The function tests run on the module's
 * test classpath; this proves that what issue 13 took out of the zips (the serialization library,
 * all but two event types, the enhanced client, webauthn4j outside passkey, the local parts) is not needed at run time.
 */
class LambdaZipRunTest {

    /** One event per function, each reaching past the router into a use case and its adapters. */
    private static final Map<String, String> EVENTS = Map.of(
            "health", "health/ready.json",
            "register", "register/register-created.json",
            "login", "login/login-unknown-email.json",
            "token", "token/client-credentials-unknown-client.json",
            "jwks", "jwks/jwks.json",
            "api-keys", "api-keys/verify-unknown-key.json",
            "passkey", "passkey/login-verify-unknown-challenge.json",
            "orgs", "orgs/member-list-unknown-api-key.json",
            "signin", "signin/authorize-unknown-client.json",
            "rotate-keys", "rotate-keys/scheduled.json");

    private static EmulatedTable table;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        Accounts.in(table); // the signing key ring, as FunctionUnderTest does
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    @Test
    void everyZipWhenRunOnItsOwnClasspathThenAnswersItsEventWithoutAMissingClass(@TempDir Path work)
            throws Exception {
        assertThat(ApiCatalog.functions()).extracting(ApiCatalog.FunctionSpec::name)
                .containsExactlyInAnyOrderElementsOf(EVENTS.keySet());
        for (ApiCatalog.FunctionSpec spec : ApiCatalog.functions()) {
            Path zip = Events.repositoryRoot().resolve("functions").resolve(spec.module()).resolve("target")
                    .resolve("latchkey-" + spec.module() + "-lambda.zip");
            Path app = unzip(zip, work.resolve(spec.module()));
            Path event = Events.repositoryRoot().resolve("events").resolve(EVENTS.get(spec.name()));
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", app + java.io.File.pathSeparator + app.resolve("lib") + "/*",
                    "dev.latchkey.infrastructure.lambda.InvokeOnce", event.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(name -> name.startsWith("LATCHKEY_") || name.startsWith("AWS_LAMBDA"));
            environment.putAll(LambdaHarness.localVariables(table));
            environment.put("LATCHKEY_DATA_DIR", work.resolve(spec.module() + "-data").toString());
            environment.put("MAIN_CLASS", spec.mainClass());
            environment.put("SPRING_CLOUD_FUNCTION_DEFINITION", spec.name());
            environment.put("AWS_REGION", "us-east-1");
            builder.redirectError(work.resolve(spec.module() + ".err").toFile());
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(spec.name() + " finished").isTrue();
            String err = Files.readString(work.resolve(spec.module() + ".err"));
            assertThat(err).as(spec.name() + " stderr").doesNotContain("NoClassDefFoundError")
                    .doesNotContain("ClassNotFoundException").doesNotContain("Exception in thread");
            assertThat(process.exitValue()).as(spec.name() + " exit, stderr: " + err).isZero();
            // InvokeOnce prints the response as its last line; the function's log lines come before it.
            List<String> lines = new String(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as(spec.name() + " stdout").isNotEmpty();
            JsonNode response = Json.mapper().readTree(lines.get(lines.size() - 1));
            if (spec.isHttp()) {
                assertThat(response.path("statusCode").asInt()).as(spec.name() + " " + response)
                        .isBetween(200, 499);
            } else {
                assertThat(response.isObject()).as(spec.name() + " " + response).isTrue();
            }
            assertThat(work.resolve(spec.module() + "-data").resolve("outbox")).as("no outbox in a zip").doesNotExist();
        }
    }

    private static Path unzip(Path zip, Path target) throws IOException {
        List<Path> written = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = file.entries(); entries.hasMoreElements();) {
                ZipEntry entry = entries.nextElement();
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    continue;
                }
                Files.createDirectories(path.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, path);
                }
                written.add(path);
            }
        }
        assertThat(written).isNotEmpty();
        return target;
    }
}
