package dev.latchkey.infrastructure.mail;

import dev.latchkey.core.http.Json;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A {@link Mailer} for the local server and tests: each message becomes one JSON file in an outbox
 * folder ({@code .latchkey/outbox/} for the local server), named
 * {@code <uuuuMMdd'T'HHmmssSSS'Z'>-<purpose>-<16 hex random>.json} and holding {@code to},
 * {@code subject}, {@code text}, {@code purpose}, {@code created_at}. Nothing is sent anywhere.
 *
 * <p><b>The files hold live tokens</b> (verification, password reset) and addresses: the folder is
 * created owner-only ({@code 0700}, tightened if it exists with wider access) and every file is
 * {@code 0600} on POSIX file systems. Each file is written to a hidden temporary file in the same
 * folder, flushed to disk, then renamed into place atomically, so a reader (a test, a developer
 * running {@code cat}) sees either no file or the whole message; {@link #list()} ignores the
 * temporary files.
 */
public final class FileOutboxMailer implements Mailer {

    /** Extension of message files. */
    public static final String EXTENSION = ".json";

    private static final Logger LOG = LoggerFactory.getLogger(FileOutboxMailer.class);
    private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern FILE_NAME = Pattern.compile("\\d{8}T\\d{9}Z-[a-z][a-z0-9-]{1,39}-[0-9a-f]{16}\\.json");
    private static final String TEMPORARY_PREFIX = ".tmp-";

    private final Path directory;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * Opens the outbox, creating the folder (and its parents) owner-only if it does not exist.
     *
     * @param directory the outbox folder
     * @param clock the time in names and {@code created_at}
     * @param random the source of the name's random part
     * @throws UncheckedIOException when the folder cannot be created or secured
     */
    public FileOutboxMailer(Path directory, Clock clock, SecureRandom random) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        try {
            createOwnerOnlyDirectory(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the mail outbox " + this.directory, e);
        }
    }

    /** The outbox folder. */
    public Path directory() {
        return directory;
    }

    /**
     * Writes the message as one file, atomically.
     *
     * @throws MailException when the file cannot be written (disk full, folder removed…)
     */
    @Override
    public void send(MailMessage message) {
        Instant createdAt = clock.instant();
        byte[] randomPart = new byte[8];
        random.nextBytes(randomPart);
        String name = FILE_TIME.format(createdAt) + "-" + message.purpose() + "-" + HexFormat.of().formatHex(randomPart)
                + EXTENSION;
        Map<String, String> content = new LinkedHashMap<>();
        content.put("to", message.to());
        content.put("subject", message.subject());
        content.put("text", message.text());
        content.put("purpose", message.purpose());
        content.put("created_at", createdAt.toString());
        Path temporary = directory.resolve(TEMPORARY_PREFIX + name);
        try {
            writeOwnerOnly(temporary, Json.write(content));
            moveAtomically(temporary, directory.resolve(name));
        } catch (IOException e) {
            deleteQuietly(temporary);
            LOG.warn("mail outbox write failed: {}", e.getClass().getSimpleName());
            throw MailException.unavailable(e);
        }
    }

    /**
     * Every message in the outbox, oldest first (by {@code created_at}, then file name). Files that are
     * not complete message files of this outbox are skipped.
     *
     * @throws UncheckedIOException when the folder cannot be read
     */
    public List<OutboxMail> list() {
        List<OutboxMail> mails = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (FILE_NAME.matcher(file.getFileName().toString()).matches()) {
                    read(file).ifPresent(mails::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mail outbox " + directory, e);
        }
        mails.sort(Comparator.comparing(OutboxMail::createdAt)
                .thenComparing(mail -> mail.file().getFileName().toString()));
        return mails;
    }

    /** The newest message with this purpose, such as {@link MailMessage#EMAIL_VERIFICATION}. */
    public Optional<OutboxMail> latest(String purpose) {
        List<OutboxMail> mails = list();
        for (int i = mails.size() - 1; i >= 0; i--) {
            if (mails.get(i).message().purpose().equals(purpose)) {
                return Optional.of(mails.get(i));
            }
        }
        return Optional.empty();
    }

    /** The newest message with this purpose to this address (compared exactly). */
    public Optional<OutboxMail> latest(String purpose, String to) {
        List<OutboxMail> mails = list();
        for (int i = mails.size() - 1; i >= 0; i--) {
            MailMessage message = mails.get(i).message();
            if (message.purpose().equals(purpose) && message.to().equals(to)) {
                return Optional.of(mails.get(i));
            }
        }
        return Optional.empty();
    }

    private static Optional<OutboxMail> read(Path file) throws IOException {
        try {
            JsonNode json = Json.mapper().readTree(Files.readAllBytes(file));
            MailMessage message = new MailMessage(field(json, "to"), field(json, "subject"), field(json, "text"),
                    field(json, "purpose"));
            return Optional.of(new OutboxMail(file, message, Instant.parse(field(json, "created_at"))));
        } catch (JacksonException | IllegalArgumentException | DateTimeParseException e) {
            LOG.warn("skipping unreadable outbox file {}", file.getFileName());
            return Optional.empty();
        }
    }

    private static String field(JsonNode json, String name) {
        JsonNode value = json == null ? null : json.get(name);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("outbox file lacks " + name);
        }
        return value.asString();
    }

    private static boolean supportsPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void createOwnerOnlyDirectory(Path directory) throws IOException {
        if (!supportsPosix(directory)) {
            Files.createDirectories(directory);
            return;
        }
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
        }
        if (!Files.getPosixFilePermissions(directory).equals(DIRECTORY_PERMISSIONS)) {
            // The umask may have narrowed the creation mode, or an older folder is wider: make it exact.
            Files.setPosixFilePermissions(directory, DIRECTORY_PERMISSIONS);
        }
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        FileAttribute<?>[] attributes = supportsPosix(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS)}
                : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        if (supportsPosix(file) && !Files.getPosixFilePermissions(file).equals(FILE_PERMISSIONS)) {
            Files.setPosixFilePermissions(file, FILE_PERMISSIONS);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Same folder, so this is a rename everywhere Latchkey runs; refuse rather than copy halfway.
            throw new IOException("the outbox file system cannot rename atomically", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Best effort: list() never reads temporary files, so one left behind does no harm.
        }
    }

    /**
     * One message read back from the outbox. {@link #toString()} stays redacted like the message's own.
     *
     * @param file the message file
     * @param message the message
     * @param createdAt when it was written
     */
    public record OutboxMail(Path file, MailMessage message, Instant createdAt) {

        /** The message's body, where the token or link is. */
        public String text() {
            return message.text();
        }
    }
}
