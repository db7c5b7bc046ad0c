package dev.latchkey.functions.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local server's data folder ({@code LATCHKEY_DATA_DIR}), held by one server at a time (issue 11 §6).
 *
 * <p><b>One owner.</b> {@link #open} takes an exclusive lock on {@value #LOCK_FILE} ({@link FileChannel#tryLock}):
 * a second server on the same folder — in this process or another — is refused with a message saying so, before it
 * starts an emulator on the same database files. The operating system drops the lock when the process ends, even by
 * {@code kill -9}, so a restart after a crash just works.
 *
 * <p><b>Orphans.</b> The emulator's pid is kept in {@value #EMULATOR_PID_FILE}. An emulator dies with its server
 * (see {@code Dynoxide}); should one still run from a server that died (an older version, a failed watchdog), the
 * next server that takes the lock stops it before it starts its own — it is adopted, never run twice.
 *
 * <p><b>Owner-only.</b> The folder is 0700 and every file the server creates in it 0600, whatever the umask: created
 * with those modes (a umask can only narrow them) and set exactly afterwards, so an older, wider folder is narrowed
 * too. The emulator creates its database files under {@code umask 077}.
 */
final class DataDirectory implements AutoCloseable {

    /** The lock file's name. */
    static final String LOCK_FILE = "latchkey.lock";
    /** Where the running emulator's pid is kept. */
    static final String EMULATOR_PID_FILE = "dynamodb.pid";

    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectory(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the folder owner-only when missing, narrows it when wider, and takes its lock.
     *
     * @throws DataDirectoryInUseException when another server holds it
     * @throws UncheckedIOException when the folder or the lock file cannot be made
     */
    static DataDirectory open(Path path) {
        Path folder = path.toAbsolutePath().normalize();
        try {
            ownerOnlyFolder(folder);
            Path lockFile = folder.resolve(LOCK_FILE);
            ownerOnlyFile(lockFile);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new DataDirectoryInUseException(folder);
            }
            DataDirectory directory = new DataDirectory(folder, channel, lock);
            try {
                directory.stopOrphanedEmulator();
            } catch (IOException | RuntimeException e) {
                channel.close(); // releases the lock, keeps the pid file: the orphan is still found next time
                throw e;
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data folder " + folder, e);
        }
    }

    /** The folder. */
    Path path() {
        return path;
    }

    /** A file in the folder, created empty and owner-only when missing, narrowed to 0600 when it exists. */
    Path ownerOnly(String name) {
        Path file = path.resolve(name);
        try {
            ownerOnlyFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + file, e);
        }
        return file;
    }

    /** A folder in the folder, created owner-only when missing, narrowed to 0700 when it exists. */
    Path ownerOnlyFolder(String name) {
        Path folder = path.resolve(name);
        try {
            ownerOnlyFolder(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + folder, e);
        }
        return folder;
    }

    /** Narrows every existing file whose name starts with {@code prefix} (a database and its journals) to 0600. */
    void narrow(String prefix) {
        if (!posix(path)) {
            return;
        }
        try (Stream<Path> files = Files.list(path)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && Files.isRegularFile(f)).toList()) {
                Files.setPosixFilePermissions(file, FILE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot narrow the permissions in " + path, e);
        }
    }

    /** Records the running emulator, for the next server should this one die without stopping it. */
    void recordEmulator(Optional<ProcessHandle> emulator) {
        Path file = path.resolve(EMULATOR_PID_FILE);
        try {
            if (emulator.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            ownerOnlyFile(file);
            Files.writeString(file, emulator.get().pid() + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the emulator's pid in " + file, e);
        }
    }

    /** Releases the lock (the emulator's pid file goes first). */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(path.resolve(EMULATOR_PID_FILE));
        } catch (IOException e) {
            // the next server reads a stale pid and finds no such emulator: harmless
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock; the process exit would too
        }
    }

    /** Stops an emulator left running by a server that died, found through the pid file. */
    private void stopOrphanedEmulator() throws IOException {
        Path file = path.resolve(EMULATOR_PID_FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        Files.deleteIfExists(file);
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d{1,10}")) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("dynoxide"))
                        .orElse(false));
        if (orphan.isPresent()) {
            orphan.get().destroy();
            try {
                orphan.get().onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                orphan.get().destroyForcibly();
            }
        }
    }

    private static boolean posix(Path path) {
        try {
            return Files.getFileStore(path).supportsFileAttributeView("posix");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of " + path, e);
        }
    }

    private static void ownerOnlyFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            if (posix(folder) && !Files.getPosixFilePermissions(folder).equals(FOLDER)) {
                Files.setPosixFilePermissions(folder, FOLDER);
            }
            return;
        }
        Path parent = folder.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (posix(parent == null ? folder.getRoot() : parent)) {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(FOLDER));
            Files.setPosixFilePermissions(folder, FOLDER);
        } else {
            Files.createDirectory(folder);
        }
    }

    private static void ownerOnlyFile(Path file) throws IOException {
        boolean posix = posix(file.getParent());
        try {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // kept, narrowed below
        }
        if (posix && !Files.getPosixFilePermissions(file).equals(FILE)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }
}
