package dev.latchkey.infrastructure.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With this module on the classpath (the local server, the tests), the local key vault's mail goes to the outbox. */
class FileOutboxLocalPartsTest {

    @Test
    void mailerWhenLocalVaultAndLocalPartsOnTheClasspathThenFileOutboxInTheDataDirectory(@TempDir Path dataDir) {
        Map<String, String> environment = Map.of("LATCHKEY_KEY_VAULT", "local",
                "LATCHKEY_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                "LATCHKEY_DYNAMODB_ENDPOINT", "http://127.0.0.1:1", "LATCHKEY_DATA_DIR", dataDir.toString());
        try (LatchkeyRuntime runtime = LatchkeyRuntime.create(LatchkeyConfig.fromEnvironment(environment, "test"),
                environment)) {
            runtime.mailer().send(new MailMessage("ada@example.com", "Verify", "lkv_token", "email-verification"));

            assertThat(runtime.mailer()).isInstanceOf(FileOutboxMailer.class);
            FileOutboxMailer outbox = (FileOutboxMailer) runtime.mailer();
            assertThat(outbox.directory()).isEqualTo(dataDir.resolve("outbox").toAbsolutePath());
            assertThat(outbox.list()).hasSize(1);
        }
    }
}
