package dev.latchkey.infrastructure.dynamodb.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs Dynoxide — an open-source (MIT or Apache-2.0) DynamoDB emulator on SQLite — as a child
 * process on loopback, for the local server and for storage tests. Latchkey uses it instead of
 * Amazon's DynamoDB Local, whose licence is not an open-source one (see docs/architecture.md).
 *
 * <p>The binary is found, in order: {@code LATCHKEY_DYNOXIDE_BIN}; bundled in the running jar
 * (the local server's jar carries the build machine's binary); or
 * {@code tools/dynoxide/node_modules/@dynoxide/<platform>/} in this folder or a parent, where the
 * build's {@code npm install} puts it.
 *
 * <p><b>It dies with its parent</b> (issue 11 §6). Where {@code /bin/sh} exists, the emulator runs under a small
 * watchdog script: the script starts it with {@code umask 077} (its database and journal files are owner-only
 * whatever the parent's umask), and a watcher reads the script's standard input — a pipe whose only writer is this
 * JVM — and kills the emulator at end of file. A JVM that exits for any reason, {@code kill -9} included, closes the
 * pipe, so no emulator outlives its server; {@link #stop} closes it on purpose. Without {@code /bin/sh} (Windows)
 * the emulator is started directly.
 */
public final class Dynoxide implements AutoCloseable {

    /** The pinned emulator version (tools/dynoxide/package.json). */
    public static final String VERSION = "1.2.1";

    /** The default bind address. */
    public static final String LOOPBACK = "127.0.0.1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Path SHELL = Path.of("/bin/sh");
    /**
     * Runs {@code "$0" "$@"} (the emulator and its arguments) owner-only, kills it when standard input ends (the
     * parent JVM is gone or stopped it) or on SIGTERM, and exits with its status.
     */
    static final String WATCHDOG = "exec 3<&0; umask 077; \"$0\" \"$@\" </dev/null 3<&- & emulator=$!; "
            + "( cat <&3 >/dev/null 2>&1; kill \"$emulator\" 2>/dev/null ) & exec 3<&-; "
            + "trap 'kill \"$emulator\" 2>/dev/null' TERM INT HUP; wait \"$emulator\"; status=$?; "
            + "wait \"$emulator\" 2>/dev/null; exit $status";

    private final Path binary;
    private final String host;
    private final int port;
    private final Optional<Path> databaseFile;
    private final Optional<Path> logFile;
    private Process process;

    private Dynoxide(Path binary, String host, int port, Optional<Path> databaseFile, Optional<Path> logFile) {
        this.binary = binary;
        this.host = host;
        this.port = port;
        this.databaseFile = databaseFile;
        this.logFile = logFile;
    }

    /**
     * Starts an in-memory emulator on a free loopback port.
     *
     * @throws IllegalStateException when no binary is found or it does not start
     */
    public static Dynoxide startInMemory() {
        return start(locateBinary(Path.of(System.getProperty("java.io.tmpdir"), "latchkey-dynoxide")), LOOPBACK,
                freePort(), Optional.empty(), Optional.empty());
    }

    /**
     * Starts an emulator.
     *
     * @param binary the executable
     * @param host the address to bind: {@value #LOOPBACK} unless something outside this machine
     *     (a SAM container) must reach it — the emulator has no authentication
     * @param port the port
     * @param databaseFile where the SQLite data lives (empty: in memory)
     * @param logFile where its output goes (empty: discarded)
     */
    public static Dynoxide start(Path binary, String host, int port, Optional<Path> databaseFile,
            Optional<Path> logFile) {
        Dynoxide dynoxide = new Dynoxide(binary, host, port, databaseFile, logFile);
        dynoxide.startProcess();
        return dynoxide;
    }

    /** The endpoint to point the AWS SDK at. */
    public URI endpoint() {
        return URI.create("http://" + connectHost() + ":" + port);
    }

    /** Where to connect: the bound address, or loopback when bound to every address. */
    private String connectHost() {
        return host.equals("0.0.0.0") || host.equals("::") ? LOOPBACK : host;
    }

    /** Whether the process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The emulator's own process (not its watchdog), while it runs. */
    public synchronized Optional<ProcessHandle> emulatorProcess() {
        if (process == null || !process.isAlive()) {
            return Optional.empty();
        }
        if (!watched()) {
            return Optional.of(process.toHandle());
        }
        String name = binary.getFileName().toString();
        return process.children().filter(child -> child.info().command()
                .map(command -> Path.of(command).getFileName().toString().equals(name)).orElse(false)).findFirst();
    }

    /** Stops the process and waits until it is gone (data in a database file stays). */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        try {
            process.getOutputStream().close(); // the watchdog's end of file: it kills the emulator
        } catch (IOException e) {
            // already closed
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle descendant : descendants) {
                if (!descendant.onExit().isDone()) {
                    descendant.destroy();
                }
                try {
                    descendant.onExit().get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    descendant.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private static boolean watched() {
        return Files.isExecutable(SHELL) && !platform().startsWith("win32");
    }

    /** Starts it again on the same port and database file. */
    public synchronized void restart() {
        stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void startProcess() {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "serve", "--host", host,
                "--port", Integer.toString(port)));
        databaseFile.ifPresent(file -> {
            command.add("--db-path");
            command.add(file.toAbsolutePath().toString());
        });
        try {
            if (databaseFile.isPresent()) {
                Files.createDirectories(databaseFile.get().toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the emulator's data folder", e);
        }
        if (watched()) {
            command.addAll(0, List.of(SHELL.toString(), "-c", WATCHDOG));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectOutput(logFile.map(f -> ProcessBuilder.Redirect.appendTo(f.toFile()))
                .orElse(ProcessBuilder.Redirect.DISCARD));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the DynamoDB emulator " + binary, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the DynamoDB emulator exited with " + process.exitValue()
                        + " (is port " + port + " in use?)" + logFile.map(f -> "; see " + f).orElse(""));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(connectHost(), port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        stop();
        throw new IllegalStateException("the DynamoDB emulator did not listen on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s");
    }

    /**
     * Finds the emulator binary (see the class comment).
     *
     * @param extractionDir where a binary bundled in the jar is unpacked
     * @throws IllegalStateException when none is found, saying how to get one
     */
    public static Path locateBinary(Path extractionDir) {
        String configured = Optional.ofNullable(System.getProperty("LATCHKEY_DYNOXIDE_BIN"))
                .orElse(System.getenv("LATCHKEY_DYNOXIDE_BIN"));
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("LATCHKEY_DYNOXIDE_BIN " + path + " is not an executable file");
            }
            return path;
        }
        String platform = platform();
        String executable = platform.startsWith("win32") ? "dynoxide.exe" : "dynoxide";
        Optional<Path> bundled = extractBundled(platform, executable, extractionDir);
        if (bundled.isPresent()) {
            return bundled.get();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("tools/dynoxide/node_modules/@dynoxide").resolve(platform).resolve(executable);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("DynamoDB emulator not found for " + platform + ": run `npm install` in"
                + " tools/dynoxide (the Maven build does this), or set LATCHKEY_DYNOXIDE_BIN to a dynoxide "
                + VERSION + " binary");
    }

    /** The npm platform name of this machine, such as {@code linux-x64}. */
    public static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String npmOs = os.contains("win") ? "win32" : os.contains("mac") || os.contains("darwin") ? "darwin" : "linux";
        String npmArch = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64";
        return npmOs + "-" + npmArch;
    }

    private static Optional<Path> extractBundled(String platform, String executable, Path extractionDir) {
        String resource = "/dynoxide/" + platform + "/" + executable;
        try (InputStream in = Dynoxide.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Files.createDirectories(extractionDir);
            Path target = extractionDir.resolve("dynoxide-" + VERSION + "-" + executable);
            if (!Files.isExecutable(target)) {
                Path temporary = Files.createTempFile(extractionDir, "dynoxide", ".tmp");
                Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
                if (Files.getFileStore(temporary).supportsFileAttributeView("posix")) {
                    // Owner-only whatever the umask (the copy re-creates the file with the default mode).
                    Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwx------"));
                } else if (!temporary.toFile().setExecutable(true, true)) {
                    throw new IOException("cannot make " + temporary + " executable");
                }
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return Optional.of(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled DynamoDB emulator", e);
        }
    }

    /** A free loopback port. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the DynamoDB emulator", e);
        }
    }
}
