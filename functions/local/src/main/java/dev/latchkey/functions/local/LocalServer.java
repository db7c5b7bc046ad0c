package dev.latchkey.functions.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.latchkey.core.config.ConfigException;
import dev.latchkey.core.config.KeyVaultMode;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.config.MetricsSettings;
import dev.latchkey.core.http.CorsPolicy;
import dev.latchkey.core.http.Headers;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.functions.apikeys.ApiKeysApplication;
import dev.latchkey.functions.health.HealthApplication;
import dev.latchkey.functions.jwks.JwksApplication;
import dev.latchkey.functions.login.LoginApplication;
import dev.latchkey.functions.orgs.OrgsApplication;
import dev.latchkey.functions.passkey.PasskeyApplication;
import dev.latchkey.functions.register.RegisterApplication;
import dev.latchkey.functions.signin.SigninApplication;
import dev.latchkey.functions.rotatekeys.RotateKeysApplication;
import dev.latchkey.functions.token.TokenApplication;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.emulator.Dynoxide;
import dev.latchkey.infrastructure.lambda.ApiGatewayFunction;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
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
 * browser; the API reference at {@code GET /docs} (Swagger UI, {@link #DOCS_FILES}); and the metrics in Prometheus
 * text format at {@code GET /metrics} ({@link PrometheusMetrics}; in the container only with
 * {@code LATCHKEY_METRICS=prometheus}). These paths are not API
 * routes (not in {@link ApiCatalog}, never deployed); every other request goes to the functions as before, unmatched
 * ones to {@code $default}.
 *
 * <p><b>A real server</b> (issue 11 §6). HTTP is Jetty's non-blocking engine: a client that is slow to send its
 * headers or body holds no thread, and {@link ServerLimits} bound how long ({@link ConnectionDeadlines} for the
 * head, a deadline on the body, an idle timeout) and how many (a connection limit), so slow clients never delay
 * anyone else. A request the engine refuses before any function sees it (a malformed URL, oversized headers, a late
 * body) gets the standard JSON error body ({@link JsonErrorHandler}). The data folder is held by one server at a
 * time and kept owner-only ({@link DataDirectory}), and the emulator dies with the server, {@code kill -9} included
 * (see {@code Dynoxide}).
 */
public final class LocalServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalServer.class);

    /** API Gateway's payload limit; larger requests never reach a function. */
    static final int API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

    /** Every HTTP function module's application; add a new function here. */
    static final List<LatchkeyFunctionApplication> FUNCTIONS = List.of(new HealthApplication(),
            new RegisterApplication(), new LoginApplication(), new TokenApplication(), new JwksApplication(),
            new ApiKeysApplication(), new PasskeyApplication(), new OrgsApplication(), new SigninApplication());

    /** The demo page's files: request path → classpath resource and content type. */
    static final Map<String, DemoFile> DEMO_FILES = Map.of(
            "/", new DemoFile("/demo/index.html", "text/html; charset=utf-8"),
            "/demo.js", new DemoFile("/demo/demo.js", "text/javascript; charset=utf-8"));

    /** Swagger UI's files in its WebJar (org.webjars:swagger-ui, the version in functions/local/pom.xml). */
    static final String SWAGGER_UI = "/META-INF/resources/webjars/swagger-ui/5.35.0/";

    /**
     * The API reference ({@code GET /docs}, issue 17 item 6): Swagger UI from its WebJar, started by our own
     * {@code docs.js} (no inline script) on {@code docs/openapi.yaml}, bundled into this jar at build time.
     */
    static final Map<String, DemoFile> DOCS_FILES = Map.of(
            "/docs", new DemoFile("/docs/index.html", "text/html; charset=utf-8"),
            "/docs/docs.js", new DemoFile("/docs/docs.js", "text/javascript; charset=utf-8"),
            "/docs/openapi.yaml", new DemoFile("/docs/openapi.yaml", "application/yaml; charset=utf-8"),
            "/docs/swagger-ui.css", new DemoFile(SWAGGER_UI + "swagger-ui.css", "text/css; charset=utf-8"),
            "/docs/swagger-ui-bundle.js", new DemoFile(SWAGGER_UI + "swagger-ui-bundle.js",
                    "text/javascript; charset=utf-8"));

    /**
     * The docs page's headers: a strict policy, stricter than the demo page's (no inline style or script at all):
     * Swagger UI's own files, the specification fetched from this server, "Try it out" calls to this server.
     */
    static final Map<String, String> DOCS_HEADERS = Map.of(
            "content-security-policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                    + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                    + "frame-ancestors 'none'; form-action 'self'",
            "x-content-type-options", "nosniff",
            "referrer-policy", "no-referrer",
            "cache-control", "no-store");

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

    private final DataDirectory dataDirectory;
    private final Dynoxide dynoxide;
    private final GenericApplicationContext context;
    private final Map<String, ApiGatewayFunction> functions;
    private final ServerLimits limits;
    private final Server jetty;
    private final ConnectionDeadlines deadlines;
    private final URI url;
    private final int port;
    private final CorsPolicy cors;
    private final TrustedProxies proxies;
    private final Map<String, byte[]> demo = new LinkedHashMap<>();
    private final Map<String, byte[]> docs = new LinkedHashMap<>();
    private final PrometheusMetrics metrics;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "latchkey-rotation");
        thread.setDaemon(true);
        return thread;
    });

    private LocalServer(DataDirectory dataDirectory, Dynoxide dynoxide, GenericApplicationContext context,
            Map<String, ApiGatewayFunction> functions, ServerLimits limits, Server jetty,
            ConnectionDeadlines deadlines, URI url, int port, CorsPolicy cors, TrustedProxies proxies,
            PrometheusMetrics metrics) {
        this.dataDirectory = dataDirectory;
        this.metrics = metrics;
        this.dynoxide = dynoxide;
        this.context = context;
        this.functions = functions;
        this.limits = limits;
        this.jetty = jetty;
        this.deadlines = deadlines;
        this.url = url;
        this.port = port;
        this.cors = cors;
        this.proxies = proxies;
        DEMO_FILES.forEach((path, file) -> demo.put(path, file.read()));
        if (dynoxide != null) {
            DOCS_FILES.forEach((path, file) -> docs.put(path, file.read()));
        }
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
        } catch (DataDirectoryInUseException e) {
            System.err.println(e.getMessage());
            System.exit(3);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Latchkey stopping");
            server.close();
        }, "latchkey-shutdown"));
        System.out.println("Latchkey listening on " + server.url() + " (data in "
                + server.dataDir().toAbsolutePath() + "); Ctrl-C stops it");
        server.awaitStop();
    }

    /** Blocks until the server stops (the HTTP threads are daemons: {@link #main} waits here). */
    void awaitStop() {
        try {
            jetty.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts the emulator, creates the table when missing, wires every function and listens.
     *
     * @param environment the {@code LATCHKEY_*} variables
     * @throws ConfigException when a variable is bad
     * @throws DataDirectoryInUseException when another server uses the data folder
     */
    public static LocalServer start(Map<String, String> environment) {
        return start(environment, ServerLimits.DEFAULT);
    }

    /** {@link #start(Map)} with other deadlines and bounds (tests shorten them). */
    static LocalServer start(Map<String, String> environment, ServerLimits limits) {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(environment, LatchkeyRuntime.buildVersion());
        DataDirectory dataDirectory = DataDirectory.open(config.dataDir());
        Dynoxide dynoxide;
        try {
            int dynamoPort = emulatorPort(environment);
            String dynamoHost = Optional.ofNullable(environment.get("LATCHKEY_LOCAL_DYNAMODB_HOST"))
                    .filter(s -> !s.isBlank()).orElse(Dynoxide.LOOPBACK);
            dataDirectory.narrow("dynamodb.sqlite");
            dynoxide = Dynoxide.start(Dynoxide.locateBinary(dataDirectory.ownerOnlyFolder("bin")), dynamoHost,
                    dynamoPort, Optional.of(dataDirectory.path().resolve("dynamodb.sqlite")),
                    Optional.of(dataDirectory.ownerOnly("dynamodb.log")));
            dataDirectory.recordEmulator(dynoxide.emulatorProcess());
        } catch (RuntimeException e) {
            dataDirectory.close();
            throw e;
        }
        return serve(config, environment, limits, "127.0.0.1", dataDirectory, dynoxide, TrustedProxies.NONE);
    }

    /**
     * Starts the container shape (issue 18, {@link ContainerServer}): the same routing over the real table and key
     * vault the configuration names (no emulator, no data folder, no demo page, no in-process key rotation: a
     * schedule runs {@code latchkey keys rotate}), listening on {@code LATCHKEY_BIND_ADDRESS} (default
     * {@code 0.0.0.0}).
     *
     * @throws ConfigException without {@code LATCHKEY_ISSUER}, or with the local vault but no
     *     {@code LATCHKEY_MASTER_KEY} (a container has no data folder for a key file)
     */
    public static LocalServer startContainer(Map<String, String> environment) {
        return startContainer(environment, ServerLimits.DEFAULT);
    }

    /** {@link #startContainer(Map)} with other limits. */
    static LocalServer startContainer(Map<String, String> environment, ServerLimits limits) {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(environment, LatchkeyRuntime.buildVersion());
        List<String> problems = new ArrayList<>();
        if (config.issuer().isEmpty()) {
            problems.add("LATCHKEY_ISSUER: required in a container (the public URL clients reach it at)");
        }
        if (config.keyVault() == KeyVaultMode.LOCAL && config.masterKey().isEmpty()) {
            problems.add("LATCHKEY_KEY_VAULT: kms in a container (or LATCHKEY_MASTER_KEY for a test: there is no data "
                    + "folder for a key file)");
        }
        TrustedProxies proxies = TrustedProxies.parse(
                Optional.ofNullable(environment.get("LATCHKEY_TRUSTED_PROXIES")), problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        String host = Optional.ofNullable(environment.get("LATCHKEY_BIND_ADDRESS")).filter(s -> !s.isBlank())
                .orElse("0.0.0.0");
        return serve(config, environment, limits, host, null, null, proxies);
    }

    /**
     * Listens and wires every function; with an emulator (the local shape) also the demo page and the key rotation
     * at start and hourly.
     */
    private static LocalServer serve(LatchkeyConfig config, Map<String, String> environment, ServerLimits limits,
            String host, DataDirectory dataDirectory, Dynoxide dynoxide, TrustedProxies proxies) {
        Server jetty = null;
        LatchkeyRuntime runtime = null;
        GenericApplicationContext context = null;
        try {
            QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), 8);
            threads.setName("latchkey-http");
            threads.setDaemon(true);
            jetty = new Server(threads);
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(config.port());
            connector.setIdleTimeout(limits.idleTimeout().toMillis());
            connector.setAcceptQueueSize(128);
            ConnectionDeadlines deadlines = new ConnectionDeadlines(limits.headerDeadline());
            connector.addBean(deadlines);
            jetty.addConnector(connector);
            jetty.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
            jetty.setErrorHandler(new JsonErrorHandler());
            // Listening comes first (the issuer defaults to the URL with the chosen port); until the functions are
            // wired nothing is served (no handler: 404 in the standard body), and nobody knows the port yet.
            AtomicReference<LocalServer> serving = new AtomicReference<>();
            jetty.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    LocalServer server = serving.get();
                    return server != null && server.handle(request, response, callback);
                }
            });
            jetty.start();
            int port = connector.getLocalPort();
            URI url = URI.create("http://localhost:" + port);
            LatchkeyConfig local = dynoxide == null ? config : config.withDynamoDbEndpoint(dynoxide.endpoint());
            if (local.issuer().isEmpty()) {
                local = local.withIssuer(url);
            }
            // GET /metrics: the meters Lambda writes as EMF lines, in Prometheus text format: always locally (unless
            // off), in the container only with LATCHKEY_METRICS=prometheus (it is on the API's port); else EMF lines.
            MetricsSettings settings = MetricsSettings.fromEnvironment(environment);
            PrometheusMetrics metrics = (dynoxide != null ? settings.enabled()
                    : settings.mode() == MetricsSettings.Mode.PROMETHEUS) ? new PrometheusMetrics() : null;
            runtime = metrics != null
                    ? LatchkeyRuntime.create(local, environment, metrics, RotateKeysApplication.FUNCTION)
                    : LatchkeyRuntime.create(local, environment);
            if (dynoxide != null) {
                LatchkeyTable.ensureExists(runtime.dynamoDb(), local.tableName());
            }

            LatchkeyRuntime wired = runtime;
            context = new GenericApplicationContext();
            context.registerBean(LatchkeyFunctionApplication.RUNTIME_BEAN, LatchkeyRuntime.class, () -> wired);
            GenericApplicationContext registering = context;
            FUNCTIONS.forEach(f -> f.registerFunction(registering));
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
            LocalServer localServer = new LocalServer(dataDirectory, dynoxide, context, functions, limits, jetty,
                    deadlines, url, port, local.cors(), proxies, metrics);
            if (dynoxide != null) {
                rotation.apply(Map.of("id", "local-start"));
                localServer.scheduleRotation(rotation);
            }
            localServer.scheduler.scheduleAtFixedRate(deadlines::sweep, 250, 250, TimeUnit.MILLISECONDS);
            serving.set(localServer);
            return localServer;
        } catch (Exception e) {
            stopQuietly(jetty);
            if (context != null) {
                context.close();
            }
            if (runtime != null) {
                runtime.close(); // the SDK clients of a start that failed half-way
            }
            if (dynoxide != null) {
                dynoxide.close();
                dataDirectory.close();
            }
            if (e instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw new UncheckedIOException("cannot listen on port " + config.port(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static void stopQuietly(Server jetty) {
        if (jetty != null) {
            try {
                jetty.stop();
            } catch (Exception e) {
                LOG.warn("HTTP server did not stop cleanly: {}", e.getClass().getSimpleName());
            }
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

    /** The request's {@code X-Forwarded-For} values (header names are case-insensitive). */
    private static List<String> forwardedFor(Map<String, List<String>> headers) {
        List<String> values = new ArrayList<>();
        headers.forEach((name, list) -> {
            if ("x-forwarded-for".equalsIgnoreCase(name)) {
                values.addAll(list);
            }
        });
        return values;
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

    /** The emulator behind it (tests stop and restart it); {@code null} in the container shape. */
    public Dynoxide dynoxide() {
        return dynoxide;
    }

    private Path dataDir() {
        return dataDirectory.path();
    }

    /** How many connections are open now (tests watch slow clients being dropped). */
    int openConnections() {
        return deadlines.openConnections();
    }

    /**
     * One request: its head is here; the body is read without holding a thread, within the body deadline, then
     * the function runs on a pool thread.
     */
    private boolean handle(Request request, Response response, Callback callback) {
        Connection connection = request.getConnectionMetaData().getConnection();
        deadlines.started(connection);
        Callback done = Callback.from(() -> {
            deadlines.finished(connection);
            callback.succeeded();
        }, failure -> {
            deadlines.finished(connection);
            callback.failed(failure);
        });
        if (request.getLength() > API_GATEWAY_MAX_BODY) {
            send(request, response, done, 413, Map.of("content-type", "application/json"),
                    "{\"message\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8));
            return true;
        }
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Content.Source.asByteArrayAsync(request, API_GATEWAY_MAX_BODY + 1, Promise.Invocable.toPromise(read));
        read.orTimeout(limits.bodyDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((body, failure) -> {
                    try {
                        if (failure != null) {
                            refuseBody(request, response, done, failure);
                        } else {
                            serve(request, response, done, body);
                        }
                    } catch (RuntimeException e) {
                        LOG.error("request failed", e);
                        done.failed(e);
                    }
                }, jetty.getThreadPool());
        return true;
    }

    /** A body that did not arrive in time (408), was too large (413) or broke off (400); the connection closes. */
    private void refuseBody(Request request, Response response, Callback done, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        int status = cause instanceof TimeoutException ? 408 : cause instanceof IllegalArgumentException ? 413 : 400;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("connection", "close");
        byte[] body = status == 413 ? "{\"message\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8)
                : JsonErrorHandler.body(status);
        send(request, response, done, status, headers, body);
    }

    private void serve(Request request, Response response, Callback done, byte[] body) {
        String path = request.getHttpURI().getPath();
        if (dynoxide != null && serveDemo(request, response, done, path)) {
            return;
        }
        if (serveMetrics(request, response, done, path) || serveDocs(request, response, done, path)) {
            return;
        }
        Map<String, List<String>> requestHeaders = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            requestHeaders.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
        }
        Headers headersSeen = Headers.of(requestHeaders);
        if (cors.isPreflight(request.getMethod(), headersSeen)) {
            // API Gateway answers a preflight itself, before any route or function (CorsConfiguration).
            HttpResponse preflight = cors.preflight(headersSeen);
            send(request, response, done, preflight.status(), preflight.headers(), preflight.body());
            return;
        }
        var routed = LocalEvents.toEvent(request.getMethod(), path, request.getHttpURI().getQuery(), requestHeaders,
                body, proxies.clientAddress(Request.getRemoteAddr(request), forwardedFor(requestHeaders)), port,
                Instant.now());
        APIGatewayV2HTTPResponse answer;
        try {
            answer = functions.get(routed.function()).apply(routed.event());
        } catch (RuntimeException e) {
            // What API Gateway answers when the function itself fails.
            LOG.error("function {} failed", routed.function(), e);
            send(request, response, done, 500, Map.of("content-type", "application/json"),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (answer.getHeaders() != null) {
            headers.putAll(answer.getHeaders());
        }
        headers.put("apigw-requestid", routed.event().getRequestContext().getRequestId());
        // API Gateway replaces any CORS header of the integration with its own.
        headers.keySet().removeIf(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"));
        headers.putAll(cors.responseHeaders(headersSeen));
        if (answer.getCookies() != null) {
            answer.getCookies().forEach(c -> response.getHeaders().add("set-cookie", c));
        }
        send(request, response, done, answer.getStatusCode(), headers, LocalEvents.body(answer));
    }

    /** The demo page, for {@code GET} or {@code HEAD} of one of {@link #DEMO_FILES}; false for anything else. */
    private boolean serveDemo(Request request, Response response, Callback done, String path) {
        String method = request.getMethod();
        DemoFile file = DEMO_FILES.get(path);
        if (file == null || !(method.equals("GET") || method.equals("HEAD"))) {
            return false;
        }
        Map<String, String> headers = new LinkedHashMap<>(DEMO_HEADERS);
        headers.put("content-type", file.contentType());
        send(request, response, done, 200, headers, demo.get(path));
        return true;
    }

    /** {@code GET /metrics}: Prometheus text format; false for anything else or with metrics off. */
    private boolean serveMetrics(Request request, Response response, Callback done, String path) {
        String method = request.getMethod();
        if (metrics == null || !path.equals("/metrics") || !(method.equals("GET") || method.equals("HEAD"))) {
            return false;
        }
        send(request, response, done, 200, Map.of("content-type", PrometheusMetrics.CONTENT_TYPE,
                "cache-control", "no-store", "x-content-type-options", "nosniff"),
                metrics.scrape().getBytes(StandardCharsets.UTF_8));
        return true;
    }

    /** The API reference, local shape only: {@code GET /docs} and its files ({@link #DOCS_FILES}). */
    private boolean serveDocs(Request request, Response response, Callback done, String path) {
        String method = request.getMethod();
        String page = path.equals("/docs/") ? "/docs" : path;
        if (!docs.containsKey(page) || !(method.equals("GET") || method.equals("HEAD"))) {
            return false;
        }
        Map<String, String> headers = new LinkedHashMap<>(DOCS_HEADERS);
        headers.put("content-type", DOCS_FILES.get(page).contentType());
        send(request, response, done, 200, headers, docs.get(page));
        return true;
    }

    private static void send(Request request, Response response, Callback done, int status,
            Map<String, String> headers, byte[] body) {
        response.setStatus(status);
        headers.forEach((name, value) -> response.getHeaders().put(name, value));
        boolean noBody = body.length == 0 || status == 204 || status == 304;
        if (noBody) {
            if (status != 204 && status != 304) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            }
            response.write(true, ByteBuffer.allocate(0), done);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, request.getMethod().equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body),
                done);
    }

    /** Stops listening, closes the functions, stops the emulator (its data stays on disk) and frees the folder. */
    @Override
    public void close() {
        stopQuietly(jetty);
        scheduler.shutdownNow();
        // Verification counts added up since the last flush (docs/api-keys.md "Verification analytics").
        context.getBean(CompositionRoot.class).verificationAnalytics().flush();
        context.getBean(LatchkeyRuntime.class).close();
        context.close();
        if (dynoxide != null) {
            dynoxide.close();
            dataDirectory.close();
        }
    }
}
