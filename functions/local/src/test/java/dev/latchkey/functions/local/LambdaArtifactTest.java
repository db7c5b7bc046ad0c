package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.infrastructure.testing.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * Each function's Lambda zip (built in the package phase of its module, which the reactor runs
 * before this module's tests) holds its main class and what it needs — and none of the local-only
 * or test parts: no emulator launcher, no file outbox, no web server, no test libraries, no Apache or Netty HTTP
 * client, none of the libraries issue 13 took out (the build's enforcer also caps each zip at 20 MiB).
 */
class LambdaArtifactTest {

    private static final List<String> FORBIDDEN = List.of("dynoxide", "DynamoDBLocal", "spring-cloud-function-web",
            "tomcat", "netty", "httpclient", "apache-client", "apache5-client", "junit", "assertj", "testcontainers",
            "webflux", "latchkey-local", "-tests.jar", "latchkey-infrastructure-local", "latchkey-dynamodb-emulator",
            "aws-lambda-java-serialization", "aws-lambda-java-events", "dynamodb-enhanced", "joda",
            "lib/dynamodb-", "lib/kms-", "sesv2");

    /** Local-only classes, looked for inside every Latchkey jar of a zip (issue 13 "Module layout"). */
    private static final List<String> LOCAL_ONLY_CLASSES = List.of("dev/latchkey/infrastructure/mail/FileOutboxMailer",
            "dev/latchkey/infrastructure/local/FileOutboxLocalParts", "dev/latchkey/infrastructure/dynamodb/emulator/",
            "META-INF/services/dev.latchkey.infrastructure.runtime.LocalParts");

    @Test
    void everyFunctionZipHasItsMainClassAndLibrariesAndNothingLocalOnly() throws IOException {
        assertThat(ApiCatalog.functions()).isNotEmpty();
        for (ApiCatalog.FunctionSpec spec : ApiCatalog.functions()) {
            Path zip = Events.repositoryRoot().resolve("functions").resolve(spec.module()).resolve("target")
                    .resolve("latchkey-" + spec.module() + "-lambda.zip");
            assertThat(zip).as("built by `./mvnw package` of functions/" + spec.module()).exists();
            try (ZipFile file = new ZipFile(zip.toFile())) {
                List<String> names = Collections.list(file.entries()).stream().map(ZipEntry::getName).toList();
                assertThat(names).contains(spec.mainClass().replace('.', '/') + ".class");
                assertThat(names).anyMatch(n -> n.matches("lib/latchkey-core-.*\\.jar"))
                        .anyMatch(n -> n.matches("lib/latchkey-infrastructure-.*\\.jar"))
                        .anyMatch(n -> n.matches("lib/spring-cloud-function-adapter-aws-.*\\.jar"))
                        .anyMatch(n -> n.matches("lib/url-connection-client-.*\\.jar"))
                        .anyMatch(n -> n.matches("lib/latchkey-aws-sdk-subset-.*\\.jar"));
                for (String forbidden : FORBIDDEN) {
                    assertThat(names).as(zip.getFileName() + " must not contain " + forbidden)
                            .noneMatch(n -> n.toLowerCase(java.util.Locale.ROOT)
                                    .contains(forbidden.toLowerCase(java.util.Locale.ROOT)));
                }
                assertThat(Files.size(zip)).as("Lambda's direct-upload limit").isLessThan(50L * 1024 * 1024);
                if (!spec.name().equals("passkey")) {
                    assertThat(names).as(zip.getFileName() + ": webauthn4j is the passkey function's only")
                            .noneMatch(n -> n.contains("webauthn4j") || n.contains("jackson-dataformat-cbor"));
                }
                for (ZipEntry entry : Collections.list(file.entries())) {
                    if (!entry.getName().matches("lib/latchkey-.*\\.jar")) {
                        continue;
                    }
                    try (ZipInputStream jar = new ZipInputStream(file.getInputStream(entry))) {
                        for (ZipEntry inner = jar.getNextEntry(); inner != null; inner = jar.getNextEntry()) {
                            String name = inner.getName();
                            if (inner.isDirectory()) {
                                continue;
                            }
                            assertThat(LOCAL_ONLY_CLASSES).as(zip.getFileName() + " " + entry.getName() + " " + name)
                                    .noneMatch(name::startsWith);
                        }
                    }
                }
            }
        }
    }

    /**
     * Issue #19 (7): an unchanged function must build the same zip, byte for byte, or every deploy publishes a new
     * version and SnapStart snapshot. With {@code project.build.outputTimestamp} the assembly and jar plugins write
     * every entry with that time and a fixed mode, and sort the entries of each folder; the Latchkey jars inside
     * the zip (built in this reactor) carry the same time. {@code tools/check-reproducible-zips.sh} does two clean
     * builds and compares the bytes.
     */
    @Test
    void whenBuiltThenEveryZipEntryAndEveryLatchkeyJarEntryHasTheFixedOutputTimestampInSortedOrder()
            throws IOException {
        LocalDateTime fixed = LocalDateTime.of(2026, 1, 1, 0, 0);
        for (ApiCatalog.FunctionSpec spec : ApiCatalog.functions()) {
            Path zip = Events.repositoryRoot().resolve("functions").resolve(spec.module()).resolve("target")
                    .resolve("latchkey-" + spec.module() + "-lambda.zip");
            assertThat(zip).as("built by `./mvnw package` of functions/" + spec.module()).exists();
            try (ZipFile file = new ZipFile(zip.toFile())) {
                List<? extends ZipEntry> entries = Collections.list(file.entries());
                assertThat(entries).isNotEmpty();
                assertThat(entries).as(zip.getFileName() + " entry times")
                        .allSatisfy(e -> assertThat(e.getTimeLocal()).as(e.getName()).isEqualTo(fixed));
                List<String> classes = entries.stream().map(ZipEntry::getName)
                        .filter(n -> !n.startsWith("lib/")).toList();
                assertThat(classes).as(zip.getFileName() + " class entries in sorted order")
                        .isSortedAccordingTo(String::compareTo);
                int latchkeyJars = 0;
                for (ZipEntry entry : entries) {
                    if (!entry.getName().matches("lib/latchkey-.*\\.jar")) {
                        continue;
                    }
                    latchkeyJars++;
                    List<LocalDateTime> times = new ArrayList<>();
                    try (ZipInputStream jar = new ZipInputStream(file.getInputStream(entry))) {
                        for (ZipEntry inner = jar.getNextEntry(); inner != null; inner = jar.getNextEntry()) {
                            times.add(inner.getTimeLocal());
                        }
                    }
                    assertThat(times).as(entry.getName()).isNotEmpty().containsOnly(fixed);
                }
                assertThat(latchkeyJars).as(zip.getFileName() + " Latchkey jars").isGreaterThanOrEqualTo(2);
            }
        }
    }
}
