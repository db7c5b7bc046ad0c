package dev.latchkey.functions.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.core.config.ConfigException;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.http.ApiCatalog;
import dev.latchkey.functions.apikeys.ApiKeysApplication;
import dev.latchkey.functions.health.HealthApplication;
import dev.latchkey.functions.jwks.JwksApplication;
import dev.latchkey.functions.login.LoginApplication;
import dev.latchkey.functions.orgs.OrgsApplication;
import dev.latchkey.functions.passkey.PasskeyApplication;
import dev.latchkey.functions.register.RegisterApplication;
import dev.latchkey.functions.rotatekeys.RotateKeysApplication;
import dev.latchkey.functions.token.TokenApplication;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.emulator.Dynoxide;
import dev.latchkey.infrastructure.lambda.ApiGatewayFunction;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Every Latchkey function on one port ({@code LATCHKEY_PORT}, default 3000), on a Dynoxide
 * DynamoDB emulator whose data lives under {@code LATCHKEY_DATA_DIR} (default {@code .latchkey}),
 * with the local key vault. Each HTTP request becomes the API Gateway event API Gateway would send
 * and goes to the same function bean Lambda runs, so a route that works here works behind API
 * Gateway (a parity test checks every {@code events/**.json} both ways).
 *
 * <p>Besides the API, it serves the demo page ({@code GET /} and {@code GET /demo.js}, from
 * {@code demo/} on the classpath): a person tries registration, password and passkey login in a
 * browser. These two paths are not API routes (not in {@link ApiCatalog}, never deployed); every
 * other request goes to the functions as before, unmatched ones to {@code $default}.
 */
public final class LocalServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalServer.class);

    /** API Gateway's payload limit; larger requests never reach a function. */
    static final int API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

    /** Every HTTP function module's application; add a new function here. */
    static final List<LatchkeyFunctionApplication> FUNCTIONS = List.of(new HealthApplication(),
            new RegisterApplication(), new LoginApplication(), new TokenApplication(), new JwksApplication(),
            new ApiKeysApplication(), new PasskeyApplication(), new OrgsApplication());

    /** The demo page's files: request path → classpath resource and content type. */
    static final Map<String, DemoFile> DEMO_FILES = Map.of(
            "/", new DemoFile("/demo/index.html", "text/html; charset=utf-8"),
            "/demo.js", new DemoFile("/demo/demo.js", "text/javascript; charset=utf-8"));

    /** The demo page's headers: its own scripts only, never framed, no referrer, never cached. */
    static final Map<String, String> DEMO_HEADERS = Map.of(
            "content-security-policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                    + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                    + "form-action 'self'",
            "x-content-type-options", "nosniff",
            "referrer-policy", "no-referrer",
            "cache-control", "no-store");

    /**
     * One file of the demo page.
     *
     * @param resource where it is on the classpath
     * @param contentType its {@code Content-Type}
     */
    record DemoFile(String resource, String contentType) {

        byte[] read() {
            try (InputStream in = LocalServer.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("demo page resource missing: " + resource);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** How often the local server runs the key rotation (the Lambda schedule's rate). */
    static final Duration ROTATION_PERIOD = Duration.ofHours(1);

    private final Dynoxide dynoxide;
    private final GenericApplicationContext context;
    private final Map<String, ApiGatewayFunction> functions;
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI url;
    private final Map<String, byte[]> demo = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "latchkey-rotation");
        thread.setDaemon(true);
        return thread;
    });

    private LocalServer(Dynoxide dynoxide, GenericApplicationContext context, Map<String, ApiGatewayFunction> functions,
            HttpServer server, ExecutorService executor, URI url) {
        this.dynoxide = dynoxide;
        this.context = context;
        this.functions = functions;
        this.server = server;
        this.executor = executor;
        this.url = url;
        DEMO_FILES.forEach((path, file) -> demo.put(path, file.read()));
    }

    /**
     * Starts the server from the process environment (and {@code -DLATCHKEY_*} properties); stops
     * on SIGTERM or Ctrl-C.
     */
    public static void main(String[] args) {
        LocalServer server;
        try {
            server = start(LatchkeyRuntime.environment());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Latchkey stopping");
            server.close();
        }, "latchkey-shutdown"));
        System.out.println("Latchkey listening on " + server.url() + " (data in "
                + server.dataDir().toAbsolutePath() + "); Ctrl-C stops it");
    }

    /**
     * Starts the emulator, creates the table when missing, wires every function and listens.
     *
     * @param environment the {@code LATCHKEY_*} variables
     * @throws ConfigException when a variable is bad
     */
    public static LocalServer start(Map<String, String> environment) {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(environment, LatchkeyRuntime.buildVersion());
        Path dataDir = config.dataDir();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data folder " + dataDir, e);
        }
        int dynamoPort = emulatorPort(environment);
        String dynamoHost = Optional.ofNullable(environment.get("LATCHKEY_LOCAL_DYNAMODB_HOST"))
                .filter(s -> !s.isBlank()).orElse(Dynoxide.LOOPBACK);
        Dynoxide dynoxide = Dynoxide.start(Dynoxide.locateBinary(dataDir.resolve("bin")), dynamoHost, dynamoPort,
                Optional.of(dataDir.resolve("dynamodb.sqlite")), Optional.of(dataDir.resolve("dynamodb.log")));
        try {
            // TCP_NODELAY: without it, Nagle's algorithm and delayed ACKs add ~40 ms to every keep-alive
            // response (measured: p50 44 ms for /health/live). Read once, when the JDK's server first loads.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", config.port()), 64);
            int port = server.getAddress().getPort();
            URI url = URI.create("http://localhost:" + port);
            LatchkeyConfig local = config.withDynamoDbEndpoint(dynoxide.endpoint());
            if (local.issuer().isEmpty()) {
                local = local.withIssuer(url);
            }
            LatchkeyRuntime runtime = LatchkeyRuntime.create(local, environment);
            LatchkeyTable.ensureExists(runtime.dynamoDb(), local.tableName());

            GenericApplicationContext context = new GenericApplicationContext();
            context.registerBean(LatchkeyFunctionApplication.RUNTIME_BEAN, LatchkeyRuntime.class, () -> runtime);
            FUNCTIONS.forEach(f -> f.registerFunction(context));
            RotateKeysApplication.register(context);
            context.refresh();
            Map<String, ApiGatewayFunction> functions = new LinkedHashMap<>();
            for (ApiCatalog.FunctionSpec spec : ApiCatalog.functions()) {
                if (spec.isHttp()) {
                    functions.put(spec.name(), LatchkeyFunctionApplication.function(context, spec.name()));
                }
            }
            // The schedule's work, locally: a key signs from the first request on, and rotation keeps going.
            @SuppressWarnings("unchecked")
            Function<Map<String, Object>, Map<String, Object>> rotation = (Function<Map<String, Object>,
                    Map<String, Object>>) context.getBean(RotateKeysApplication.FUNCTION, FunctionRegistration.class)
                    .getTarget();
            rotation.apply(Map.of("id", "local-start"));
            ExecutorService executor = Executors.newFixedThreadPool(32, r -> {
                Thread thread = new Thread(r, "latchkey-http");
                thread.setDaemon(true);
                return thread;
            });
            LocalServer localServer = new LocalServer(dynoxide, context, functions, server, executor, url);
            localServer.scheduleRotation(rotation);
            server.createContext("/", localServer::handle);
            server.setExecutor(executor);
            server.start();
            return localServer;
        } catch (IOException e) {
            dynoxide.close();
            throw new UncheckedIOException("cannot listen on port " + config.port(), e);
        } catch (RuntimeException e) {
            dynoxide.close();
            throw e;
        }
    }

    /** {@code LATCHKEY_LOCAL_DYNAMODB_PORT}: a fixed emulator port (for sam local invoke), else a free one. */
    private static int emulatorPort(Map<String, String> environment) {
        String value = environment.get("LATCHKEY_LOCAL_DYNAMODB_PORT");
        if (value == null || value.isBlank()) {
            return Dynoxide.freePort();
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(List.of("LATCHKEY_LOCAL_DYNAMODB_PORT: '" + value + "' is not a port in 1..65535"));
    }

    private void scheduleRotation(Function<Map<String, Object>, Map<String, Object>> rotation) {
        scheduler.scheduleAtFixedRate(() -> {
            try {
                rotation.apply(Map.of("id", "local-schedule"));
            } catch (RuntimeException e) {
                LOG.warn("scheduled key rotation failed: {}", e.getClass().getSimpleName());
            }
        }, ROTATION_PERIOD.toSeconds(), ROTATION_PERIOD.toSeconds(), TimeUnit.SECONDS);
    }

    /** Where the server listens. */
    public URI url() {
        return url;
    }

    /** The emulator behind it (tests stop and restart it). */
    public Dynoxide dynoxide() {
        return dynoxide;
    }

    private Path dataDir() {
        return context.getBean(LatchkeyRuntime.class).config().dataDir();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(API_GATEWAY_MAX_BODY + 1);
            }
            if (body.length > API_GATEWAY_MAX_BODY) {
                send(exchange, 413, Map.of("content-type", "application/json"),
                        "{\"message\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            URI uri = exchange.getRequestURI();
            if (serveDemo(exchange, uri.getRawPath())) {
                return;
            }
            var routed = LocalEvents.toEvent(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders(), body, exchange.getRemoteAddress().getAddress().getHostAddress(),
                    server.getAddress().getPort(), Instant.now());
            APIGatewayV2HTTPResponse response;
            try {
                response = functions.get(routed.function()).apply(routed.event());
            } catch (RuntimeException e) {
                // What API Gateway answers when the function itself fails.
                LOG.error("function {} failed", routed.function(), e);
                send(exchange, 500, Map.of("content-type", "application/json"),
                        "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            if (response.getHeaders() != null) {
                headers.putAll(response.getHeaders());
            }
            headers.put("apigw-requestid", routed.event().getRequestContext().getRequestId());
            if (response.getCookies() != null) {
                response.getCookies().forEach(c -> exchange.getResponseHeaders().add("set-cookie", c));
            }
            send(exchange, response.getStatusCode(), headers, LocalEvents.body(response));
        }
    }

    /** The demo page, for {@code GET} or {@code HEAD} of one of {@link #DEMO_FILES}; false for anything else. */
    private boolean serveDemo(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        DemoFile file = DEMO_FILES.get(path);
        if (file == null || !(method.equals("GET") || method.equals("HEAD"))) {
            return false;
        }
        Map<String, String> headers = new LinkedHashMap<>(DEMO_HEADERS);
        headers.put("content-type", file.contentType());
        send(exchange, 200, headers, demo.get(path));
        return true;
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        boolean noBody = body.length == 0 || status == 204 || status == 304
                || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops listening, closes the functions and stops the emulator (its data stays on disk). */
    @Override
    public void close() {
        server.stop(0);
        scheduler.shutdownNow();
        executor.shutdownNow();
        context.getBean(LatchkeyRuntime.class).close();
        context.close();
        dynoxide.close();
    }
}
