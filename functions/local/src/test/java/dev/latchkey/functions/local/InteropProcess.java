package dev.latchkey.functions.local;

import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.testing.Events;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * One of the {@code tools/interop} relying parties in its own process: the Spring Boot {@code oauth2Login}
 * application (a JVM logging to {@code target/}) or the openid-client native app (node, one JSON line per event on
 * stdout, read here as they come).
 */
final class InteropProcess implements AutoCloseable {

    static final Path INTEROP = Events.repositoryRoot().resolve("tools/interop");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();

    private InteropProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts {@code tools/interop/spring-oauth2-login} on {@code port} (127.0.0.1) with the issuer and the client's
     * credentials in the environment its {@code application.properties} reads; {@link #awaitListening} waits for it.
     */
    static InteropProcess springSignIn(int port, String issuer, String clientId, String clientSecret)
            throws IOException {
        Path jar = INTEROP.resolve("spring-oauth2-login/target/spring-oauth2-login.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: the maven-invoker-plugin in functions/local's pom builds it");
        }
        Path log = Path.of("target", "spring-oauth2-login.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
                // Why a sign-in failed (Spring says it only at DEBUG), in target/spring-oauth2-login.log.
                "--logging.level.org.springframework.security.oauth2.client.web=TRACE")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("LATCHKEY_ISSUER", issuer, "CLIENT_ID", clientId,
                "CLIENT_SECRET", clientSecret));
        return new InteropProcess("Spring Boot oauth2Login", builder.start(), log);
    }

    /** Starts {@code tools/interop/node/oidc-native-app.mjs} for the public client {@code clientId} on {@code port}. */
    static InteropProcess nodeNativeApp(String issuer, String clientId, int port) throws IOException {
        return nodeNativeApp(issuer, clientId, port, Map.of());
    }

    /**
     * {@code oidc-native-app.mjs} with more environment, e.g. {@code CLIENT_PRIVATE_JWK} to authenticate with
     * {@code private_key_jwt}.
     */
    static InteropProcess nodeNativeApp(String issuer, String clientId, int port, Map<String, String> environment)
            throws IOException {
        Path node = INTEROP.resolve("node");
        if (!Files.isDirectory(node.resolve("node_modules/openid-client"))) {
            throw new AssertionError("npm install did not run in tools/interop/node (functions/local's pom runs it)");
        }
        ProcessBuilder builder = new ProcessBuilder("node", "oidc-native-app.mjs").directory(node.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of("LATCHKEY_ISSUER", issuer, "CLIENT_ID", clientId,
                "PORT", String.valueOf(port)));
        builder.environment().putAll(environment);
        InteropProcess app = new InteropProcess("openid-client native app", builder.start(), null);
        Thread reader = new Thread(app::readEvents, "oidc-native-app-stdout");
        reader.setDaemon(true);
        reader.start();
        return app;
    }

    private void readEvents() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (output) {
                    output.add(line);
                }
                if (line.startsWith("{")) {
                    events.add(Json.mapper().readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node app's next event (skipping none); fails with its output if it does not come in time. */
    JsonNode nextEvent(String expected) throws InterruptedException {
        JsonNode event = events.poll(HeadlessChromium.WAIT.toSeconds(), TimeUnit.SECONDS);
        if (event == null || !expected.equals(event.path("event").asString())) {
            throw new AssertionError(name + ": expected the event \"" + expected + "\", got " + event + "; output: "
                    + output());
        }
        return event;
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Waits until {@code url} answers any HTTP status; fails with the log when the process exits first. */
    void awaitListening(String url) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited: " + logText());
            }
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError(name + " did not listen in 90 s: " + logText());
    }

    String logText() throws IOException {
        return log == null ? output() : Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
