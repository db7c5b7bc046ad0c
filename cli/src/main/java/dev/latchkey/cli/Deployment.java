package dev.latchkey.cli;

import dev.latchkey.core.config.ConfigException;
import dev.latchkey.core.config.KeyVaultMode;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.emulator.Dynoxide;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The deployment a command works on, from the same {@code LATCHKEY_*} variables as the functions
 * (docs/configuration.md), wired by the one {@link CompositionRoot}:
 * <ul>
 *   <li>AWS ({@code LATCHKEY_KEY_VAULT=kms}): the table and the KMS key, with the credentials of the environment
 *       (an IAM role, {@code AWS_PROFILE}, …);</li>
 *   <li>any DynamoDB endpoint ({@code LATCHKEY_DYNAMODB_ENDPOINT}) with the local vault: that endpoint;</li>
 *   <li>the local data folder ({@code LATCHKEY_DATA_DIR}, default {@code .latchkey}) otherwise: the CLI takes the
 *       folder's lock, as the local server does, and runs its own emulator on the folder's database while the
 *       command runs. Stop the local server first: one process owns the folder at a time.</li>
 * </ul>
 */
final class Deployment implements AutoCloseable {

    /** The lock file the local server holds too. */
    static final String LOCK_FILE = "latchkey.lock";

    private final LatchkeyRuntime runtime;
    private final CompositionRoot root;
    private final Optional<Dynoxide> emulator;
    private final Optional<FileChannel> lock;

    private Deployment(LatchkeyRuntime runtime, Optional<Dynoxide> emulator, Optional<FileChannel> lock) {
        this.runtime = runtime;
        this.root = new CompositionRoot(runtime);
        this.emulator = emulator;
        this.lock = lock;
    }

    /**
     * Opens the deployment the environment names.
     *
     * @throws ConfigException when a variable is bad, or the local server holds the data folder
     */
    static Deployment open(Map<String, String> environment) {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(environment, LatchkeyRuntime.buildVersion());
        if (config.keyVault() == KeyVaultMode.KMS || config.dynamoDbEndpoint().isPresent()) {
            return new Deployment(LatchkeyRuntime.create(config, environment), Optional.empty(), Optional.empty());
        }
        Path folder = config.dataDir().toAbsolutePath().normalize();
        FileChannel channel = lockFolder(folder);
        Dynoxide dynoxide = null;
        try {
            ownerOnly(folder.resolve("bin"), true);
            ownerOnly(folder.resolve("dynamodb-cli.log"), false);
            dynoxide = Dynoxide.start(Dynoxide.locateBinary(folder.resolve("bin")), Dynoxide.LOOPBACK,
                    Dynoxide.freePort(), Optional.of(folder.resolve("dynamodb.sqlite")),
                    Optional.of(folder.resolve("dynamodb-cli.log")));
            LatchkeyConfig local = config.withDynamoDbEndpoint(dynoxide.endpoint());
            if (local.issuer().isEmpty()) {
                local = local.withIssuer(URI.create("http://localhost:" + config.port()));
            }
            LatchkeyRuntime runtime = LatchkeyRuntime.create(local, environment);
            LatchkeyTable.ensureExists(runtime.dynamoDb(), local.tableName());
            return new Deployment(runtime, Optional.of(dynoxide), Optional.of(channel));
        } catch (RuntimeException e) {
            if (dynoxide != null) {
                dynoxide.close();
            }
            closeQuietly(channel);
            throw e;
        }
    }

    private static FileChannel lockFolder(Path folder) {
        try {
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Path lockFile = folder.resolve(LOCK_FILE);
            FileChannel channel = FileChannel.open(lockFile,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                channel.close();
                throw new ConfigException(List.of("LATCHKEY_DATA_DIR: " + folder + " is in use (is the local server "
                        + "running? stop it, or set LATCHKEY_DYNAMODB_ENDPOINT)"));
            }
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the data folder " + folder, e);
        }
    }

    /** Creates a folder (0700) or file (0600) owner-only when missing, as the local server does. */
    private static void ownerOnly(Path path, boolean folder) {
        try {
            if (folder && !Files.isDirectory(path)) {
                Files.createDirectories(path, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else if (!folder && !Files.exists(path)) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + path, e);
        }
    }

    /** The wiring. */
    CompositionRoot root() {
        return root;
    }

    /** The runtime. */
    LatchkeyRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.close();
        emulator.ifPresent(Dynoxide::close);
        lock.ifPresent(Deployment::closeQuietly);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // The lock goes with the process anyway.
        }
    }
}
