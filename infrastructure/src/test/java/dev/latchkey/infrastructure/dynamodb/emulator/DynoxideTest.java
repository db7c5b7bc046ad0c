package dev.latchkey.infrastructure.dynamodb.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

class DynoxideTest {

    private static final String VARIABLE = "LATCHKEY_DYNOXIDE_BIN";
    private static final String TABLE = "latchkey-persisted";

    @TempDir
    Path dir;

    private static DynamoDbClient client(Dynoxide dynoxide) {
        return DynamoDbClient.builder()
                .endpointOverride(dynoxide.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static Map<String, AttributeValue> key() {
        return Map.of(LatchkeyTable.PK, AttributeValue.fromS("USER#u1"),
                LatchkeyTable.SK, AttributeValue.fromS("PROFILE"));
    }

    @Test
    void platformWhenCalledThenOneOfTheNpmPlatformNames() {
        assertThat(Dynoxide.platform()).isIn("linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64");
    }

    @Test
    void locateBinaryWhenInstalledThenFindsAnExecutable() {
        Path binary = Dynoxide.locateBinary(dir.resolve("extracted"));

        assertThat(binary).isRegularFile();
        assertThat(Files.isExecutable(binary)).isTrue();
        assertThat(binary.toString()).contains(Dynoxide.platform());
    }

    @Test
    void locateBinaryWhenVariableNamesNonExecutableThenRefusedNamingTheVariable() throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("dynoxide"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
        String previous = System.getProperty(VARIABLE);
        System.setProperty(VARIABLE, notExecutable.toString());
        try {
            assertThatThrownBy(() -> Dynoxide.locateBinary(dir.resolve("extracted")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(VARIABLE)
                    .hasMessageContaining(notExecutable.toString());
            System.setProperty(VARIABLE, dir.resolve("missing").toString());
            assertThatThrownBy(() -> Dynoxide.locateBinary(dir.resolve("extracted")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(VARIABLE);
        } finally {
            restore(previous);
        }
    }

    @Test
    void locateBinaryWhenVariableNamesExecutableThenUsesIt() {
        Path installed = Dynoxide.locateBinary(dir.resolve("extracted"));
        String previous = System.getProperty(VARIABLE);
        System.setProperty(VARIABLE, installed.toString());
        try {
            assertThat(Dynoxide.locateBinary(dir.resolve("other"))).isEqualTo(installed);
        } finally {
            restore(previous);
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(VARIABLE);
        } else {
            System.setProperty(VARIABLE, previous);
        }
    }

    @Test
    void restartWhenDatabaseFileThenItemsSurvive() {
        // A folder that does not exist yet: start() creates it (dynoxide itself exits 1 on a missing one).
        Path database = dir.resolve("data").resolve("latchkey.db");
        Path log = dir.resolve("dynoxide.log");
        Path binary = Dynoxide.locateBinary(dir.resolve("extracted"));
        try (Dynoxide dynoxide = Dynoxide.start(binary, Dynoxide.LOOPBACK, Dynoxide.freePort(),
                Optional.of(database), Optional.of(log)); DynamoDbClient client = client(dynoxide)) {
            assertThat(dynoxide.isRunning()).isTrue();
            assertThat(LatchkeyTable.ensureExists(client, TABLE)).isTrue();
            client.putItem(b -> b.tableName(TABLE).item(Map.of(
                    LatchkeyTable.PK, AttributeValue.fromS("USER#u1"),
                    LatchkeyTable.SK, AttributeValue.fromS("PROFILE"),
                    "email", AttributeValue.fromS("ada@example.com"))));

            dynoxide.stop();
            assertThat(dynoxide.isRunning()).isFalse();
            dynoxide.restart();

            assertThat(dynoxide.isRunning()).isTrue();
            assertThat(LatchkeyTable.ensureExists(client, TABLE)).isFalse();
            var item = client.getItem(b -> b.tableName(TABLE).key(key()).consistentRead(true)).item();
            assertThat(item).containsEntry("email", AttributeValue.fromS("ada@example.com"));
        }
    }

    @Test
    void restartWhenInMemoryThenDataGone() {
        try (Dynoxide dynoxide = Dynoxide.startInMemory(); DynamoDbClient client = client(dynoxide)) {
            assertThat(LatchkeyTable.ensureExists(client, TABLE)).isTrue();

            dynoxide.restart();

            assertThatThrownBy(() -> client.describeTable(b -> b.tableName(TABLE)))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }
}
