package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.ApiCatalog;
import dev.latchkey.infrastructure.testing.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Each function's Lambda zip (built in the package phase of its module, which the reactor runs
 * before this module's tests) holds its main class and what it needs — and none of the local-only
 * or test parts: no emulator, no web server, no test libraries, no Apache or Netty HTTP client.
 */
class LambdaArtifactTest {

    private static final List<String> FORBIDDEN = List.of("dynoxide", "DynamoDBLocal", "spring-cloud-function-web",
            "tomcat", "netty", "httpclient", "apache-client", "apache5-client", "junit", "assertj", "testcontainers",
            "webflux", "latchkey-local", "-tests.jar");

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
                        .anyMatch(n -> n.matches("lib/url-connection-client-.*\\.jar"));
                for (String forbidden : FORBIDDEN) {
                    assertThat(names).as(zip.getFileName() + " must not contain " + forbidden)
                            .noneMatch(n -> n.toLowerCase(java.util.Locale.ROOT)
                                    .contains(forbidden.toLowerCase(java.util.Locale.ROOT)));
                }
                assertThat(Files.size(zip)).as("Lambda's direct-upload limit").isLessThan(50L * 1024 * 1024);
            }
        }
    }
}
