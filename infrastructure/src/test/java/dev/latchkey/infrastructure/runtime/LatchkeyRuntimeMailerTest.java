package dev.latchkey.infrastructure.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.infrastructure.mail.UndeliveredMailer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mail transport per deployment shape, on this module's own classpath — the one a Lambda zip has: no
 * {@link LocalParts}, so the local key vault gets no outbox (the local server's and the tests' classpath adds
 * {@code latchkey-infrastructure-local}; {@code FileOutboxLocalPartsTest} there proves the other side).
 */
class LatchkeyRuntimeMailerTest {

    @Test
    void mailerWhenLocalVaultAndNoLocalPartsOnTheClasspathThenUndeliveredAndNoOutboxWritten(@TempDir Path dataDir)
            throws Exception {
        Map<String, String> environment = Map.of("LATCHKEY_KEY_VAULT", "local",
                "LATCHKEY_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                "LATCHKEY_DYNAMODB_ENDPOINT", "http://127.0.0.1:1", "LATCHKEY_DATA_DIR", dataDir.toString());
        try (LatchkeyRuntime runtime = LatchkeyRuntime.create(LatchkeyConfig.fromEnvironment(environment, "test"),
                environment)) {
            runtime.mailer().send(new MailMessage("ada@example.com", "Verify", "lkv_secret", "email-verification"));

            assertThat(runtime.mailer()).isInstanceOf(UndeliveredMailer.class);
        }
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("outbox");
        }
    }
}
