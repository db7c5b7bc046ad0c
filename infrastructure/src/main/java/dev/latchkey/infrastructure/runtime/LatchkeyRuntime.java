package dev.latchkey.infrastructure.runtime;

import dev.latchkey.core.config.KeyVaultMode;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.config.MetricsSettings;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.KeyRingRepository;
import dev.latchkey.core.mail.Mailer;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.store.TableStore;
import dev.latchkey.core.vault.KeyVault;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.aws.AwsClientFactory;
import dev.latchkey.infrastructure.dynamodb.DynamoDbTableStore;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.logging.JulBridge;
import dev.latchkey.infrastructure.mail.UndeliveredMailer;
import dev.latchkey.infrastructure.metrics.BoundedMetrics;
import dev.latchkey.infrastructure.metrics.EmfMetrics;
import dev.latchkey.infrastructure.metrics.Metrics;
import dev.latchkey.infrastructure.ratelimit.DynamoDbRateLimiter;
import dev.latchkey.infrastructure.vault.AwsKmsKeyVault;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.security.SecureRandom;
import java.time.Clock;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Everything a function shares and builds once per container: configuration, clock, CSPRNG, ids,
 * the DynamoDB client and table, and the key vault. Functions take what they need from here.
 */
public final class LatchkeyRuntime implements AutoCloseable {

    private final LatchkeyConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final IdGenerator ids;
    private final AwsClientFactory aws;
    private final DynamoDbClient dynamoDb;
    private final DynamoDbTableStore table;
    private final KeyVault keyVault;
    private final KeyPolicy keyPolicy;
    private final Metrics metrics;
    private DynamoDbAuditLog auditLog;
    private KeyRingRepository keyRing;
    private CurrentKeys currentKeys;
    /** Held strongly: the CRaC context keeps resources only weakly. */
    private Resource keysAfterRestore;
    private RateLimiter rateLimiter;
    private Mailer mailer;

    private LatchkeyRuntime(LatchkeyConfig config, Clock clock, SecureRandom random, AwsClientFactory aws,
            KeyVault keyVault, Metrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.keyPolicy = config.limits().keyPolicy();
        this.clock = clock;
        this.random = random;
        this.ids = new SortableIdGenerator(clock, random);
        this.aws = aws;
        this.dynamoDb = aws.dynamoDb();
        this.table = new DynamoDbTableStore(dynamoDb, config.tableName(), config.healthTimeout());
        this.keyVault = keyVault;
    }

    /**
     * Builds the runtime from a configuration.
     *
     * @param config the configuration
     * @param environment the process environment (for AWS credentials)
     */
    public static LatchkeyRuntime create(LatchkeyConfig config, Map<String, String> environment) {
        MetricsSettings settings = MetricsSettings.fromEnvironment(environment);
        return create(config, environment, settings.enabled()
                ? EmfMetrics.onLogger(settings.namespace(), Clock.systemUTC()) : Metrics.NONE,
                environment.getOrDefault("SPRING_CLOUD_FUNCTION_DEFINITION", ""));
    }

    /**
     * Builds the runtime with another metrics sink (the local server's Prometheus registry).
     *
     * @param config the configuration
     * @param environment the process environment (for AWS credentials)
     * @param sink where metrics go; every value reaches it bounded ({@link BoundedMetrics})
     * @param defaultFunction the function metrics name outside a request (the scheduled rotation)
     */
    public static LatchkeyRuntime create(LatchkeyConfig config, Map<String, String> environment, Metrics sink,
            String defaultFunction) {
        JulBridge.install(); // core's System.Logger lines become JSON and redacted, like every other line
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        boolean emulator = config.dynamoDbEndpoint().isPresent();
        Metrics metrics = sink == Metrics.NONE ? Metrics.NONE : new BoundedMetrics(sink, defaultFunction);
        AwsClientFactory aws = new AwsClientFactory(config, AwsClientFactory.credentialsFor(environment, emulator),
                metrics);
        KeyVault vault;
        if (config.keyVault() == KeyVaultMode.KMS) {
            vault = new AwsKmsKeyVault(aws.kms(), config.kmsKeyId().orElseThrow(), random, clock,
                    config.dataKeyCacheSize(), config.dataKeyCacheTtl());
        } else if (config.masterKey().isPresent()) {
            vault = LocalKeyVault.fromBase64(config.masterKey().get(), random);
        } else {
            vault = LocalKeyVault.fromKeyFile(config.dataDir().resolve("master.key"), random);
        }
        return new LatchkeyRuntime(config, clock, random, aws, vault, metrics);
    }

    /**
     * The environment functions read their configuration from: the process environment, overlaid
     * by JVM system properties of the same {@code LATCHKEY_*} names (handy for tests and
     * {@code java -DLATCHKEY_PORT=…}).
     */
    public static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        System.getProperties().forEach((name, value) -> {
            if (name.toString().startsWith("LATCHKEY_")) {
                environment.put(name.toString(), value.toString());
            }
        });
        return environment;
    }

    /** The version stamped into this build, or {@code dev}. */
    public static String buildVersion() {
        String version = LatchkeyRuntime.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The configuration. */
    public LatchkeyConfig config() {
        return config;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** The CSPRNG. */
    public SecureRandom random() {
        return random;
    }

    /** The id generator. */
    public IdGenerator ids() {
        return ids;
    }

    /** The raw DynamoDB client. */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    /** The table. */
    public TableStore table() {
        return table;
    }

    /** The DynamoDB adapter of the table, for repositories. */
    public DynamoDbTableStore dynamoDbTable() {
        return table;
    }

    /** The key vault. */
    public KeyVault keyVault() {
        return keyVault;
    }

    /**
     * Where operational metrics go ({@link BoundedMetrics} over EMF lines in Lambda, the local server's Prometheus
     * registry there; {@link Metrics#NONE} with {@code LATCHKEY_METRICS=off}).
     */
    public Metrics metrics() {
        return metrics;
    }

    /** The audit log in the table (the DynamoDB type: sign-up puts its event in its own transaction). */
    public synchronized DynamoDbAuditLog auditLog() {
        if (auditLog == null) {
            auditLog = new DynamoDbAuditLog(dynamoDb, config.tableName(), clock).withIssuanceSummaries();
        }
        return auditLog;
    }

    /** When signing keys move (rotation interval, JWKS cache lifetime, retention; {@code LATCHKEY_KEY_*}). */
    public KeyPolicy keyPolicy() {
        return keyPolicy;
    }

    /** The signing-key ring in the table. */
    public synchronized KeyRingRepository keyRing() {
        if (keyRing == null) {
            keyRing = new DynamoDbKeyRingRepository(dynamoDb, config.tableName());
        }
        return keyRing;
    }

    /**
     * This container's view of the signing keys: the ring re-read every 5 minutes, the active key
     * opened once per key.
     */
    public synchronized CurrentKeys currentKeys() {
        if (currentKeys == null) {
            currentKeys = new CurrentKeys(keyRing(), keyVault, keyPolicy, clock, Duration.ofMinutes(5));
            // A SnapStart snapshot may be restored days after it was taken: read the ring afresh then.
            keysAfterRestore = new Resource() {
                @Override
                public void beforeCheckpoint(Context<? extends Resource> context) {
                    // Nothing to do before the snapshot.
                }

                @Override
                public void afterRestore(Context<? extends Resource> context) {
                    currentKeys.invalidate();
                }
            };
            Core.getGlobalContext().register(keysAfterRestore);
        }
        return currentKeys;
    }

    /** Fixed-window rate limits in the table. */
    public synchronized RateLimiter rateLimiter() {
        if (rateLimiter == null) {
            rateLimiter = new DynamoDbRateLimiter(dynamoDb, config.tableName(), clock);
        }
        return rateLimiter;
    }

    /**
     * Where mail goes: SES from {@code LATCHKEY_MAIL_FROM} in AWS; with the local key vault, the file outbox under
     * {@code <data dir>/outbox/} of the {@link LocalParts} on the classpath (the local server's and the tests'), or,
     * in a Lambda zip, which carries none, nowhere ({@link UndeliveredMailer}: {@code sam local invoke}).
     *
     * @throws dev.latchkey.core.config.ConfigException in AWS when {@code LATCHKEY_MAIL_FROM} is unset
     */
    public synchronized Mailer mailer() {
        if (mailer == null) {
            if (config.keyVault() == KeyVaultMode.LOCAL) {
                mailer = ServiceLoader.load(LocalParts.class, LatchkeyRuntime.class.getClassLoader()).findFirst()
                        .map(parts -> parts.outbox(config.dataDir().resolve("outbox"), clock, random))
                        .orElseGet(UndeliveredMailer::new);
            } else {
                String from = config.mailFrom().orElseThrow(() -> new dev.latchkey.core.config.ConfigException(
                        java.util.List.of("LATCHKEY_MAIL_FROM: required to send mail through SES "
                                + "(a sender address verified in SES)")));
                mailer = aws.sesMailer(from);
            }
        }
        return mailer;
    }

    @Override
    public void close() {
        dynamoDb.close();
        aws.close();
    }
}
