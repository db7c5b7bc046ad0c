package dev.latchkey.infrastructure.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class FileOutboxMailerTest {

    private static final Instant NOW = Instant.parse("2025-03-10T12:34:56.789Z");
    private static final String BODY = "Verify: http://localhost:3000/v1/auth/email/verify?token=chl_SECRET";

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock(NOW);

    private FileOutboxMailer mailer(Path directory) {
        return new FileOutboxMailer(directory, clock, new SecureRandom());
    }

    private static MailMessage verification(String to) {
        return new MailMessage(to, "Verify your email", BODY, MailMessage.EMAIL_VERIFICATION);
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void sendWritesOneJsonFileWithTheMessageFieldsAndCreatedAt() throws IOException {
        FileOutboxMailer mailer = mailer(temp.resolve("outbox"));
        mailer.send(verification("alice@example.com"));

        List<Path> files = files(mailer.directory());
        assertThat(files).hasSize(1);
        JsonNode json = Json.mapper().readTree(Files.readAllBytes(files.get(0)));
        assertThat(json.propertyNames()).containsExactly("to", "subject", "text", "purpose", "created_at");
        assertThat(json.get("to").asString()).isEqualTo("alice@example.com");
        assertThat(json.get("subject").asString()).isEqualTo("Verify your email");
        assertThat(json.get("text").asString()).isEqualTo(BODY);
        assertThat(json.get("purpose").asString()).isEqualTo("email-verification");
        assertThat(json.get("created_at").asString()).isEqualTo("2025-03-10T12:34:56.789Z");
    }

    @Test
    void fileNameIsTimestampPurposeAndRandomAndNoTemporaryFileRemains() throws IOException {
        FileOutboxMailer mailer = mailer(temp.resolve("outbox"));
        mailer.send(verification("alice@example.com"));
        mailer.send(new MailMessage("alice@example.com", "Reset", "t", MailMessage.PASSWORD_RESET));

        List<String> names = files(mailer.directory()).stream().map(file -> file.getFileName().toString()).toList();
        assertThat(names).hasSize(2);
        assertThat(names.get(0)).matches("20250310T123456789Z-email-verification-[0-9a-f]{16}\\.json");
        assertThat(names.get(1)).matches("20250310T123456789Z-password-reset-[0-9a-f]{16}\\.json");
    }

    @Test
    void namesAreUniqueUnderConcurrentSendsInTheSameMillisecond() throws Exception {
        FileOutboxMailer mailer = mailer(temp.resolve("outbox"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sends.add(pool.submit(() -> mailer.send(verification("alice@example.com"))));
            }
            for (Future<?> send : sends) {
                send.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Path> files = files(mailer.directory());
        assertThat(files).hasSize(200).allSatisfy(file -> assertThat(file.getFileName().toString())
                .matches("20250310T123456789Z-email-verification-[0-9a-f]{16}\\.json"));
        assertThat(mailer.list()).hasSize(200);
    }

    @Test
    void folderIsOwnerOnlyAndFilesAreReadableByTheOwnerOnly() throws IOException {
        assumeTrue(posix(temp));
        FileOutboxMailer mailer = mailer(temp.resolve(".latchkey").resolve("outbox"));
        mailer.send(verification("alice@example.com"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mailer.directory())))
                .isEqualTo("rwx------");
        assertThat(files(mailer.directory())).singleElement().satisfies(file -> assertThat(
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
    }

    @Test
    void existingWiderFolderIsTightenedToOwnerOnly() throws IOException {
        assumeTrue(posix(temp));
        Path existing = Files.createDirectory(temp.resolve("outbox"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));

        mailer(existing);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rwx------");
    }

    @Test
    void listIgnoresTemporaryAndForeignFilesSoAReaderNeverSeesAHalfWrittenMessage() throws IOException {
        FileOutboxMailer mailer = mailer(temp.resolve("outbox"));
        mailer.send(verification("alice@example.com"));
        Path half = mailer.directory().resolve(".tmp-20250310T123456790Z-email-verification-0123456789abcdef.json");
        Files.writeString(half, "{\"to\":\"bob@exa", StandardCharsets.UTF_8);
        Files.writeString(mailer.directory().resolve("20250310T123456790Z-email-verification-fedcba9876543210.json"),
                "{\"to\":\"bob@exa", StandardCharsets.UTF_8);
        Files.writeString(mailer.directory().resolve("notes.txt"), "hello", StandardCharsets.UTF_8);

        assertThat(mailer.list()).singleElement()
                .satisfies(mail -> assertThat(mail.message().to()).isEqualTo("alice@example.com"));
    }

    @Test
    void latestReturnsTheNewestMessageOfAPurposeAndOptionallyARecipient() {
        FileOutboxMailer mailer = mailer(temp.resolve("outbox"));
        mailer.send(verification("alice@example.com"));
        clock.advance(Duration.ofMillis(1));
        mailer.send(new MailMessage("alice@example.com", "Verify", "second for alice", MailMessage.EMAIL_VERIFICATION));
        clock.advance(Duration.ofMillis(1));
        mailer.send(new MailMessage("bob@example.com", "Verify", "for bob", MailMessage.EMAIL_VERIFICATION));
        clock.advance(Duration.ofMillis(1));
        mailer.send(new MailMessage("alice@example.com", "Reset", "reset", MailMessage.PASSWORD_RESET));

        assertThat(mailer.list()).extracting(FileOutboxMailer.OutboxMail::text)
                .containsExactly(BODY, "second for alice", "for bob", "reset");
        assertThat(mailer.latest(MailMessage.EMAIL_VERIFICATION)).get()
                .extracting(FileOutboxMailer.OutboxMail::text).isEqualTo("for bob");
        assertThat(mailer.latest(MailMessage.EMAIL_VERIFICATION, "alice@example.com")).get()
                .extracting(FileOutboxMailer.OutboxMail::text).isEqualTo("second for alice");
        assertThat(mailer.latest("organization-invitation")).isEmpty();
        assertThat(mailer.latest(MailMessage.EMAIL_VERIFICATION).get().createdAt()).isEqualTo(NOW.plusMillis(2));
    }

    @Test
    void lineBreaksInAddressOrSubjectAreRejectedBeforeAnythingIsWritten() throws IOException {
        FileOutboxMailer mailer = mailer(temp.resolve("outbox"));
        assertThatThrownBy(() -> mailer.send(verification("alice@example.com\r\nBcc: eve@example.com")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mailer.send(new MailMessage("alice@example.com", "Hi\r\nBcc: eve@example.com",
                BODY, MailMessage.EMAIL_VERIFICATION))).isInstanceOf(IllegalArgumentException.class);
        assertThat(files(mailer.directory())).isEmpty();
    }

    @Test
    void readBackMailPrintsNeitherAddressNorBody() {
        FileOutboxMailer mailer = mailer(temp.resolve("outbox"));
        mailer.send(verification("alice@example.com"));

        String printed = mailer.latest(MailMessage.EMAIL_VERIFICATION).orElseThrow().toString();
        assertThat(printed).contains("email-verification").doesNotContain("alice").doesNotContain("SECRET");
    }

    @Test
    void sendWhenTheFolderIsGoneIsMailUnavailableAndLeavesNoTemporaryFile() throws IOException {
        FileOutboxMailer mailer = mailer(temp.resolve("outbox"));
        Files.delete(mailer.directory());

        assertThatThrownBy(() -> mailer.send(verification("alice@example.com")))
                .isInstanceOfSatisfying(MailException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).doesNotContain("alice");
                });
        assertThat(Files.exists(mailer.directory())).isFalse();
    }
}
