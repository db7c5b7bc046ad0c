package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.dynamodb.emulator.Dynoxide;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11 §6 through the real local server: slow clients never delay anyone else and are dropped at their
 * deadlines; a malformed request line gets the standard JSON error body; one server per data folder; the emulator
 * dies with a server killed by {@code kill -9}; the data folder is owner-only whatever the umask.
 */
class LocalServerHardeningTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Short deadlines so that the test sees slow clients dropped within seconds. */
    private static final ServerLimits SHORT = new ServerLimits(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(2), 1000, 32);

    @TempDir
    Path dataDir;

    private Map<String, String> environment() {
        return Map.of("LATCHKEY_PORT", "0", "LATCHKEY_DATA_DIR", dataDir.toString());
    }

    private static Socket connect(LocalServer server) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.url().getPort()), 2000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** GET /health/live, timed. */
    private static long liveMillis(LocalServer server) throws Exception {
        long start = System.nanoTime();
        var live = HTTP.send(HttpRequest.newBuilder(server.url().resolve("/health/live"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(live.statusCode()).isEqualTo(200);
        return millis;
    }

    /** Everything the server sends until it closes the connection (or the socket's timeout). */
    private static String readAll(Socket socket) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("issue 11 §6: 50 clients that sent headers and part of a body, then went silent, and 50 that trickle "
            + "headers (slow loris): /health/live still answers within 1 s; each is dropped at its deadline (408)")
    void slowClientsWhenFiftyStallThenOthersAnswerWithinASecondAndStallersAreDropped() throws Exception {
        try (LocalServer server = LocalServer.start(environment(), SHORT)) {
            liveMillis(server); // warm
            List<Socket> partialBodies = new ArrayList<>();
            List<Socket> lorises = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    Socket socket = connect(server);
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /v1/auth/login/password HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"email\":")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    partialBodies.add(socket);
                }
                for (int i = 0; i < 50; i++) {
                    Socket socket = connect(server);
                    socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    lorises.add(socket);
                }
                List<Long> times = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    times.add(liveMillis(server));
                }
                System.out.println("GET /health/live with 100 stalled connections: " + times + " ms");
                assertThat(times).allSatisfy(t -> assertThat(t).isLessThan(1000));

                // Dropped at their deadlines: a partial body gets 408 in the standard body; a loris is closed.
                long start = System.nanoTime();
                String answer = readAll(partialBodies.get(0));
                assertThat(answer).startsWith("HTTP/1.1 408").contains("application/json")
                        .contains("\"REQUEST_TIMEOUT\"");
                assertThat(readAll(lorises.get(0))).isEmpty();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
                long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                while (server.openConnections() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(server.openConnections()).as("every stalled connection closed").isZero();
                assertThat(liveMillis(server)).isLessThan(1000);
            } finally {
                for (Socket socket : partialBodies) {
                    socket.close();
                }
                for (Socket socket : lorises) {
                    socket.close();
                }
            }
        }
    }

    @Test
    @DisplayName("issue 11 §6: a malformed URL (%zz), invalid UTF-8 or raw non-ASCII in the request line → the "
            + "standard JSON error body, never the HTTP engine's HTML page")
    void requestLineWhenMalformedThenStandardJsonErrorBody() throws Exception {
        try (LocalServer server = LocalServer.start(environment())) {
            for (byte[] target : List.of("/%zz".getBytes(StandardCharsets.US_ASCII),
                    "/v1/orgs/%zz/teams".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {'/', (byte) 0xFF, 'x'},
                    new byte[] {'/', 'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9},
                    new byte[] {'/', (byte) 0xC3, (byte) 0x28})) {
                try (Socket socket = connect(server)) {
                    OutputStream out = socket.getOutputStream();
                    out.write("GET ".getBytes(StandardCharsets.US_ASCII));
                    out.write(target);
                    out.write(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String response = readAll(socket);
                    String label = new String(target, StandardCharsets.ISO_8859_1);
                    assertThat(response).as(label).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
                    assertThat(response.toLowerCase()).as(label).contains("content-type: application/json")
                            .doesNotContain("<html");
                    JsonNode body = Json.mapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
                    assertThat(body.path("error").path("code").asString()).as(label).isIn("VALIDATION_ERROR",
                            "NOT_FOUND");
                    assertThat(body.path("error").path("message").asString()).as(label).isNotBlank();
                }
            }
            try (Socket socket = connect(server)) {
                socket.getOutputStream().write("GET /%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String response = readAll(socket);
                assertThat(response).startsWith("HTTP/1.1 400");
                assertThat(response).contains("\"VALIDATION_ERROR\"");
            }
        }
    }

    @Test
    @DisplayName("issue 11 §6: a second server on the same data folder is refused with a clear message; after the "
            + "first stops, it starts")
    void startWhenDataFolderInUseThenRefusedNamingTheFolder() throws Exception {
        try (LocalServer first = LocalServer.start(environment())) {
            assertThatThrownBy(() -> LocalServer.start(environment()))
                    .isInstanceOf(DataDirectoryInUseException.class)
                    .hasMessageContaining(dataDir.toAbsolutePath().normalize().toString())
                    .hasMessageContaining("LATCHKEY_DATA_DIR");
            assertThat(liveMillis(first)).isLessThan(5000);
        }
        try (LocalServer again = LocalServer.start(environment())) {
            assertThat(liveMillis(again)).isLessThan(5000);
        }
    }

    /** The packaged command as a child process, with its output lines. */
    private record Child(Process process, BufferedReader out, int port) {

        static Child start(Path dataDir, String umask) throws IOException {
            int port = Dynoxide.freePort();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", "umask " + umask
                    + "; exec \"$0\" -cp \"$1\" dev.latchkey.functions.local.LocalServer", java, classpath)
                    .redirectErrorStream(true);
            builder.environment().put("LATCHKEY_PORT", Integer.toString(port));
            builder.environment().put("LATCHKEY_DATA_DIR", dataDir.toString());
            Process process = builder.start();
            return new Child(process, new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)), port);
        }

        /** Waits for the "listening" line; the server's output until then on failure. */
        void awaitListening() throws IOException {
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("Latchkey listening on ")) {
                    return;
                }
                seen.append(line).append('\n');
            }
            throw new AssertionError("the server did not start:\n" + seen);
        }

        HttpResponse<String> get(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String json) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }

        List<ProcessHandle> emulators() {
            return process.descendants().filter(p -> p.info().command()
                    .map(c -> Path.of(c).getFileName().toString().startsWith("dynoxide")).orElse(false)).toList();
        }
    }

    @Test
    @DisplayName("issue 11 §6: kill -9 of the server takes its emulator down too; the next server on the folder "
            + "starts cleanly and keeps the data")
    void killNineWhenServerDiesThenEmulatorDiesAndRestartWorks() throws Exception {
        Child first = Child.start(dataDir, "022");
        List<ProcessHandle> emulators;
        try {
            first.awaitListening();
            assertThat(first.post("/v1/auth/register", "{\"email\":\"ada@example.com\",\"password\":"
                    + "\"Marmalade-Comet-Lantern-93\",\"name\":\"Ada\"}").statusCode()).isEqualTo(201);
            emulators = first.emulators();
            assertThat(emulators).as("the emulator runs under the server").hasSize(1);
        } finally {
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
        }
        assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        for (ProcessHandle emulator : emulators) {
            emulator.onExit().get(10, TimeUnit.SECONDS);
            assertThat(emulator.isAlive()).as("emulator died with its server").isFalse();
        }

        Child second = Child.start(dataDir, "022");
        try {
            second.awaitListening();
            assertThat(second.get("/health/ready").statusCode()).isEqualTo(200);
            assertThat(second.post("/v1/auth/register", "{\"email\":\"ada@example.com\",\"password\":"
                    + "\"Marmalade-Comet-Lantern-93\",\"name\":\"Ada\"}").statusCode()).as("the data survived")
                    .isEqualTo(409);
            assertThat(second.emulators()).hasSize(1);
        } finally {
            second.process().destroy();
            second.process().waitFor(20, TimeUnit.SECONDS);
            second.process().destroyForcibly();
        }
    }

    @Test
    @DisplayName("issue 11 §6: with umask 000 the data folder, the database files, the log, the lock and the outbox "
            + "are still owner-only (0700 folders, 0600 files)")
    void dataFolderWhenUmaskPermissiveThenOwnerOnly() throws Exception {
        Path folder = dataDir.resolve("fresh");
        Child child = Child.start(folder, "000");
        try {
            child.awaitListening();
            assertThat(child.post("/v1/auth/register", "{\"email\":\"ada@example.com\",\"password\":"
                    + "\"Marmalade-Comet-Lantern-93\",\"name\":\"Ada\"}").statusCode()).isEqualTo(201);
            List<Path> entries;
            try (Stream<Path> walk = Files.walk(folder)) {
                entries = walk.toList();
            }
            assertThat(entries).extracting(p -> p.getFileName().toString()).contains("dynamodb.sqlite",
                    "dynamodb.log", "master.key", DataDirectory.LOCK_FILE, "outbox");
            for (Path entry : entries) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(entry));
                if (Files.isDirectory(entry)) {
                    assertThat(mode).as(entry.toString()).isEqualTo("rwx------");
                } else if (Files.isExecutable(entry)) {
                    assertThat(mode).as(entry.toString()).isEqualTo("rwx------");
                } else {
                    assertThat(mode).as(entry.toString()).isEqualTo("rw-------");
                }
            }
        } finally {
            child.process().destroy();
            child.process().waitFor(20, TimeUnit.SECONDS);
            child.process().destroyForcibly();
        }
    }
}
