package dev.latchkey.core.config;

import dev.latchkey.core.account.RegistrationDisclosure;
import dev.latchkey.core.apikey.ApiKeyCache;
import dev.latchkey.core.client.ClientAssertions;
import dev.latchkey.core.http.CorsPolicy;
import dev.latchkey.core.passkey.PasskeyPolicy;
import dev.latchkey.core.passkey.PasskeyRegistrationLimits;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.token.AccessTokenType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Latchkey's typed configuration, read once at start-up from {@code LATCHKEY_*} variables.
 * {@link #fromEnvironment(Map)} reports every bad variable at once with a clear message.
 * {@code docs/configuration.md} lists every variable; keep the two in step.
 *
 * @param tableName DynamoDB table name ({@code LATCHKEY_TABLE_NAME}, default {@code latchkey})
 * @param issuer the public base URL and token issuer ({@code LATCHKEY_ISSUER}; no trailing slash, so {@code iss}
 *     and every URL built on it have one spelling)
 * @param region AWS region ({@code LATCHKEY_AWS_REGION}, else {@code AWS_REGION}, else us-east-1)
 * @param dynamoDbEndpoint endpoint override for DynamoDB ({@code LATCHKEY_DYNAMODB_ENDPOINT})
 * @param kmsEndpoint endpoint override for KMS ({@code LATCHKEY_KMS_ENDPOINT})
 * @param keyVault where secrets are sealed ({@code LATCHKEY_KEY_VAULT}: {@code kms} or {@code local})
 * @param kmsKeyId KMS key id or ARN, required with {@code kms} ({@code LATCHKEY_KMS_KEY_ID})
 * @param masterKey base64 of the 32-byte local master key ({@code LATCHKEY_MASTER_KEY}, optional)
 * @param dataDir local data folder ({@code LATCHKEY_DATA_DIR}, default {@code .latchkey})
 * @param port local server port ({@code LATCHKEY_PORT}, default 3000)
 * @param maxBodyBytes request body limit ({@code LATCHKEY_MAX_BODY_BYTES}, default 65536)
 * @param dataKeyCacheSize how many KMS data keys stay cached ({@code LATCHKEY_DATA_KEY_CACHE_SIZE},
 *     default 100)
 * @param dataKeyCacheTtl how long a cached data key is used ({@code LATCHKEY_DATA_KEY_CACHE_TTL_SECONDS},
 *     default 300)
 * @param healthTimeout how long a readiness check may wait on a dependency
 *     ({@code LATCHKEY_HEALTH_TIMEOUT_MS}, default 2000)
 * @param version the running version (from {@code LATCHKEY_VERSION}, else the build's)
 * @param mailFrom the sender address of Latchkey's mail through SES ({@code LATCHKEY_MAIL_FROM}); required
 *     for mail in AWS, unused by the local outbox
 * @param sesEndpoint endpoint override for SES ({@code LATCHKEY_SES_ENDPOINT})
 * @param passwordMinLength the shortest accepted password in code points
 *     ({@code LATCHKEY_PASSWORD_MIN_LENGTH}, default 12, 8–64; 15 is NIST's advice where a password is
 *     the only factor)
 * @param apiKeyCacheTtl how long a container keeps an API key it read for verification
 *     ({@code LATCHKEY_API_KEY_CACHE_SECONDS}, default 0 = off, 0–60; see
 *     {@link ApiKeyCache} for what a TTL costs: a revocation made through another
 *     container counts on this one only after it)
 * @param webauthnRpId the WebAuthn relying party id ({@code LATCHKEY_WEBAUTHN_RP_ID}); empty means the issuer's
 *     host, resolved by {@link #passkeyPolicy()} so that {@link #withIssuer} moves it too
 * @param webauthnRpName the relying party name shown by authenticators ({@code LATCHKEY_WEBAUTHN_RP_NAME},
 *     default {@code Latchkey})
 * @param webauthnOrigins the origins passkey ceremonies are accepted from ({@code LATCHKEY_WEBAUTHN_ORIGINS},
 *     comma-separated web origins and native-app origins such as {@code android:apk-key-hash:…}); empty means
 *     the issuer's origin, resolved like the RP id
 * @param webauthnUserVerificationRequired whether passkey ceremonies require user verification
 *     ({@code LATCHKEY_WEBAUTHN_USER_VERIFICATION}: {@code required}, the default, or {@code preferred})
 * @param accessTokenType the {@code typ} header of issued access tokens ({@code LATCHKEY_ACCESS_TOKEN_TYPE}:
 *     {@code JWT}, the default, or {@code at+jwt}; see {@link AccessTokenType})
 * @param firstPartyClientId the {@code client_id} of user access tokens from Latchkey's own login
 *     ({@code LATCHKEY_FIRST_PARTY_CLIENT_ID}, default {@code latchkey}; see
 *     {@link SessionTokens#firstPartyClientIdProblem})
 * @param clientAssertionMaxLifetime the longest accepted client assertion lifetime, {@code exp − iat}
 *     ({@code LATCHKEY_CLIENT_ASSERTION_MAX_LIFETIME}, seconds, default 3600, 60–86400; see
 *     {@link ClientAssertions}); each assertion's {@code jti} is remembered that long at most
 * @param registrationDisclosure whether sign-up says that an address is taken
 *     ({@code LATCHKEY_REGISTRATION_DISCLOSURE}: {@code explicit}, the default, or {@code silent})
 * @param edgeOriginSecret the secret CloudFront adds to every origin request as {@code x-latchkey-edge-secret}
 *     ({@code LATCHKEY_EDGE_ORIGIN_SECRET}, optional: set only with the edge, see docs/deployment.md "Edge"); when
 *     present, a request without it is refused and the client address is CloudFront's viewer address. Never printed.
 * @param passkeyRegistration how adding a passkey is guarded: {@code LATCHKEY_PASSKEY_RECENT_AUTH_SECONDS} (default
 *     300, 30–86400), {@code LATCHKEY_PASSKEY_REGISTER_PER_USER_HOURLY} (default 10, 1–1000),
 *     {@code LATCHKEY_PASSKEY_REGISTER_PER_IP_HOURLY} (default 30, 1–100000)
 * @param cors the browser origins that may call the API ({@code LATCHKEY_CORS_ALLOWED_ORIGINS},
 *     {@code LATCHKEY_CORS_MAX_AGE_SECONDS}, {@code LATCHKEY_CORS_ALLOW_CREDENTIALS}; see {@link CorsPolicy}): API
 *     Gateway's {@code CorsConfiguration} in AWS, the local server itself locally
 * @param limits every lifetime, throttle and rate limit ({@link Limits}:
 *     {@code LATCHKEY_ACCESS_TOKEN_LIFETIME_SECONDS}, {@code LATCHKEY_OAUTH_TOKEN_PER_MINUTE},
 *     {@code LATCHKEY_ARGON2_*} and the rest)
 */
public record LatchkeyConfig(
        String tableName,
        Optional<URI> issuer,
        String region,
        Optional<URI> dynamoDbEndpoint,
        Optional<URI> kmsEndpoint,
        KeyVaultMode keyVault,
        Optional<String> kmsKeyId,
        Optional<String> masterKey,
        Path dataDir,
        int port,
        int maxBodyBytes,
        int dataKeyCacheSize,
        Duration dataKeyCacheTtl,
        Duration healthTimeout,
        String version,
        Optional<String> mailFrom,
        Optional<URI> sesEndpoint,
        int passwordMinLength,
        Duration apiKeyCacheTtl,
        Optional<String> webauthnRpId,
        String webauthnRpName,
        List<String> webauthnOrigins,
        boolean webauthnUserVerificationRequired,
        AccessTokenType accessTokenType,
        String firstPartyClientId,
        Duration clientAssertionMaxLifetime,
        RegistrationDisclosure registrationDisclosure,
        Optional<String> edgeOriginSecret,
        PasskeyRegistrationLimits passkeyRegistration,
        CorsPolicy cors,
        Limits limits) {

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    /** The shortest accepted edge origin secret, in characters. */
    public static final int EDGE_ORIGIN_SECRET_MIN_LENGTH = 32;
    /** An HTTP header value CloudFront sends as is: visible ASCII, no space. */
    private static final Pattern EDGE_ORIGIN_SECRET = Pattern.compile("[\\x21-\\x7E]+");

    /** Keeps the lists immutable. */
    public LatchkeyConfig {
        webauthnOrigins = List.copyOf(webauthnOrigins);
    }

    /** Set by the Lambda runtime in every function's environment. */
    static final String LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";
    /** Set to {@code true} by {@code sam local invoke} / {@code sam local start-api}. */
    static final String SAM_LOCAL = "AWS_SAM_LOCAL";

    /**
     * The issuer name authenticator apps show for a TOTP entry ({@code otpauth://totp/<issuer>:<email>}): the same
     * display name passkeys show, {@code LATCHKEY_WEBAUTHN_RP_NAME} (default {@code Latchkey}), so users see one
     * name for the service whichever factor they use.
     */
    public String mfaIssuerName() {
        return webauthnRpName;
    }

    /** Never prints the master key. */
    @Override
    public String toString() {
        return "LatchkeyConfig[table=" + tableName + ", issuer=" + issuer.map(URI::toString).orElse("-")
                + ", region=" + region + ", keyVault=" + keyVault + ", dataDir=" + dataDir + ", port=" + port + "]";
    }

    /** The issuer, which every function that issues or checks tokens needs. */
    public URI requireIssuer() {
        return issuer.orElseThrow(
                () -> new ConfigException(List.of("LATCHKEY_ISSUER: required, e.g. https://id.example.com")));
    }

    /**
     * Reads the configuration.
     *
     * @param environment the variables (the process environment, possibly overlaid with system properties)
     * @param buildVersion the version the build stamped into the artifact
     * @throws ConfigException listing every bad variable
     */
    public static LatchkeyConfig fromEnvironment(Map<String, String> environment, String buildVersion) {
        Reader reader = new Reader(environment);
        String tableName = reader.string("LATCHKEY_TABLE_NAME", "latchkey", TABLE_NAME,
                "3-255 characters of letters, digits, '_', '-' or '.'");
        Optional<URI> issuer = reader.optional("LATCHKEY_ISSUER", value -> url(value, false));
        String region = reader.string("LATCHKEY_AWS_REGION", environment.getOrDefault("AWS_REGION", "us-east-1"),
                REGION, "an AWS region such as eu-west-1");
        Optional<URI> dynamoDbEndpoint = reader.optional("LATCHKEY_DYNAMODB_ENDPOINT", value -> url(value, true));
        Optional<URI> kmsEndpoint = reader.optional("LATCHKEY_KMS_ENDPOINT", value -> url(value, true));
        // In AWS Lambda (the runtime sets AWS_LAMBDA_FUNCTION_NAME) the vault defaults to KMS and refuses local: a
        // master key in the environment or on a function's disk is no place for key material. `sam local invoke`
        // (AWS_SAM_LOCAL=true) keeps the local vault its documented flow uses. Issue #19 (10).
        boolean inLambda = environment.containsKey(LAMBDA_FUNCTION_NAME)
                && !"true".equalsIgnoreCase(environment.get(SAM_LOCAL));
        KeyVaultMode keyVault = reader.parse("LATCHKEY_KEY_VAULT", inLambda ? KeyVaultMode.KMS : KeyVaultMode.LOCAL,
                value -> KeyVaultMode.valueOf(value.toUpperCase(Locale.ROOT)), "'kms' or 'local'");
        if (inLambda && keyVault == KeyVaultMode.LOCAL) {
            reader.problem("LATCHKEY_KEY_VAULT: 'local' is refused in AWS Lambda (" + LAMBDA_FUNCTION_NAME
                    + " is set); use kms");
        }
        Optional<String> kmsKeyId = reader.optional("LATCHKEY_KMS_KEY_ID", Function.identity());
        if (keyVault == KeyVaultMode.KMS && kmsKeyId.isEmpty()) {
            reader.problem("LATCHKEY_KMS_KEY_ID: required when LATCHKEY_KEY_VAULT is kms");
        }
        Optional<String> masterKey = reader.secret("LATCHKEY_MASTER_KEY", Reader::masterKey,
                "base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`)");
        Path dataDir = reader.parse("LATCHKEY_DATA_DIR", Path.of(".latchkey"), Path::of, "a folder path");
        int port = reader.integer("LATCHKEY_PORT", 3000, 0, 65535);
        int maxBodyBytes = reader.integer("LATCHKEY_MAX_BODY_BYTES", 64 * 1024, 1024, 1024 * 1024);
        int cacheSize = reader.integer("LATCHKEY_DATA_KEY_CACHE_SIZE", 100, 1, 10_000);
        int cacheTtl = reader.integer("LATCHKEY_DATA_KEY_CACHE_TTL_SECONDS", 300, 1, 86_400);
        int healthTimeout = reader.integer("LATCHKEY_HEALTH_TIMEOUT_MS", 2000, 100, 30_000);
        String version = reader.raw("LATCHKEY_VERSION").orElse(buildVersion);
        Optional<String> mailFrom = reader.raw("LATCHKEY_MAIL_FROM").filter(value -> {
            boolean plain = Reader.isMailbox(value);
            if (!plain) {
                reader.problem("LATCHKEY_MAIL_FROM: '" + value
                        + "' is not a plain address such as no-reply@example.com");
            }
            return plain;
        });
        Optional<URI> sesEndpoint = reader.optional("LATCHKEY_SES_ENDPOINT", value -> url(value, true));
        int passwordMinLength = reader.integer("LATCHKEY_PASSWORD_MIN_LENGTH", 12, 8, 64);
        int apiKeyCacheSeconds = reader.integer("LATCHKEY_API_KEY_CACHE_SECONDS", 0, 0,
                (int) ApiKeyCache.MAX_TTL.toSeconds());
        Optional<String> rpId = reader.raw("LATCHKEY_WEBAUTHN_RP_ID").filter(value -> {
            Optional<String> problem = PasskeyPolicy.rpIdProblem(value);
            problem.ifPresent(text -> reader.problem("LATCHKEY_WEBAUTHN_RP_ID: '" + value + "' " + text));
            return problem.isEmpty();
        });
        String rpName = reader.raw("LATCHKEY_WEBAUTHN_RP_NAME").orElse(PasskeyPolicy.DEFAULT_RP_NAME);
        PasskeyPolicy.rpNameProblem(rpName).ifPresent(text -> reader.problem("LATCHKEY_WEBAUTHN_RP_NAME: " + text));
        List<String> origins = webauthnOrigins(reader, rpId);
        boolean userVerificationRequired = reader.parse("LATCHKEY_WEBAUTHN_USER_VERIFICATION", true,
                Reader::userVerification, "'required' or 'preferred'");
        AccessTokenType accessTokenType = reader.parse("LATCHKEY_ACCESS_TOKEN_TYPE", AccessTokenType.JWT,
                value -> AccessTokenType.fromConfig(value).orElseThrow(), "'JWT' or 'at+jwt'");
        String firstPartyClientId = reader.raw("LATCHKEY_FIRST_PARTY_CLIENT_ID")
                .orElse(SessionTokens.DEFAULT_FIRST_PARTY_CLIENT_ID);
        SessionTokens.firstPartyClientIdProblem(firstPartyClientId).ifPresent(text -> reader.problem(
                "LATCHKEY_FIRST_PARTY_CLIENT_ID: '" + firstPartyClientId + "' " + text));
        int assertionMaxLifetime = reader.integer("LATCHKEY_CLIENT_ASSERTION_MAX_LIFETIME",
                (int) ClientAssertions.DEFAULT_MAX_LIFETIME.toSeconds(),
                (int) ClientAssertions.MIN_MAX_LIFETIME.toSeconds(),
                (int) ClientAssertions.MAX_MAX_LIFETIME.toSeconds());
        RegistrationDisclosure disclosure = reader.parse("LATCHKEY_REGISTRATION_DISCLOSURE",
                RegistrationDisclosure.EXPLICIT, RegistrationDisclosure::parse, "'explicit' or 'silent'");
        Optional<String> edgeOriginSecret = reader.secret("LATCHKEY_EDGE_ORIGIN_SECRET", Reader::edgeOriginSecret,
                "at least " + EDGE_ORIGIN_SECRET_MIN_LENGTH + " visible ASCII characters, no space, with at least 10"
                        + " different characters (e.g. `openssl rand -hex 32`)");
        int recentAuth = reader.integer("LATCHKEY_PASSKEY_RECENT_AUTH_SECONDS",
                (int) PasskeyRegistrationLimits.DEFAULT_RECENT_AUTHENTICATION.toSeconds(), 30, 86_400);
        int registerPerUser = reader.integer("LATCHKEY_PASSKEY_REGISTER_PER_USER_HOURLY",
                PasskeyRegistrationLimits.DEFAULT_PER_USER.limit(), 1, 1000);
        int registerPerIp = reader.integer("LATCHKEY_PASSKEY_REGISTER_PER_IP_HOURLY",
                PasskeyRegistrationLimits.DEFAULT_PER_IP.limit(), 1, 100_000);
        CorsPolicy cors = cors(reader);
        Limits limits = Limits.read(reader);
        reader.failIfAny();
        return new LatchkeyConfig(tableName, issuer, region, dynamoDbEndpoint, kmsEndpoint, keyVault, kmsKeyId,
                masterKey, dataDir, port, maxBodyBytes, cacheSize, Duration.ofSeconds(cacheTtl),
                Duration.ofMillis(healthTimeout), version, mailFrom, sesEndpoint, passwordMinLength,
                Duration.ofSeconds(apiKeyCacheSeconds), rpId, rpName, origins, userVerificationRequired,
                accessTokenType, firstPartyClientId, Duration.ofSeconds(assertionMaxLifetime), disclosure,
                edgeOriginSecret, new PasskeyRegistrationLimits(Duration.ofSeconds(recentAuth),
                        RateLimit.perSeconds(registerPerUser, 3600), RateLimit.perSeconds(registerPerIp, 3600)),
                cors, limits);
    }

    /** {@code LATCHKEY_CORS_*}: exact origins (never {@code *}), the preflight cache time, credentials. */
    private static CorsPolicy cors(Reader reader) {
        List<String> origins = new ArrayList<>();
        reader.raw("LATCHKEY_CORS_ALLOWED_ORIGINS").ifPresent(raw -> {
            for (String entry : raw.split(",", -1)) {
                String value = entry.trim();
                Optional<String> problem = CorsPolicy.originProblem(value);
                problem.ifPresent(text -> reader.problem("LATCHKEY_CORS_ALLOWED_ORIGINS: '" + value + "' " + text));
                if (problem.isEmpty() && !origins.contains(value)) {
                    origins.add(value);
                }
            }
        });
        int maxAge = reader.integer("LATCHKEY_CORS_MAX_AGE_SECONDS", (int) CorsPolicy.DEFAULT_MAX_AGE.toSeconds(), 0,
                86_400);
        boolean credentials = reader.parse("LATCHKEY_CORS_ALLOW_CREDENTIALS", false, Reader::bool,
                "'true' or 'false'");
        return new CorsPolicy(origins, Duration.ofSeconds(maxAge), credentials);
    }

    /**
     * {@code LATCHKEY_WEBAUTHN_ORIGINS}: each entry a web origin or a native-app origin, normalized; with an
     * explicit RP id, every web origin's host must be that id or a subdomain of it (WebAuthn L3 §5.1.3 step 8).
     */
    private static List<String> webauthnOrigins(Reader reader, Optional<String> rpId) {
        Optional<String> raw = reader.raw("LATCHKEY_WEBAUTHN_ORIGINS");
        if (raw.isEmpty()) {
            return List.of();
        }
        List<String> origins = new ArrayList<>();
        for (String entry : raw.get().split(",", -1)) {
            String value = entry.trim();
            try {
                String origin = PasskeyPolicy.normalizeOrigin(value);
                rpId.flatMap(id -> PasskeyPolicy.scopeProblem(id, origin))
                        .ifPresent(text -> reader.problem("LATCHKEY_WEBAUTHN_ORIGINS: '" + value + "' " + text));
                if (!origins.contains(origin)) {
                    origins.add(origin);
                }
            } catch (IllegalArgumentException e) {
                reader.problem("LATCHKEY_WEBAUTHN_ORIGINS: '" + value + "' " + e.getMessage());
            }
        }
        return origins;
    }

    /**
     * The same configuration with another issuer (the local server defaults it to its own URL). A WebAuthn RP id
     * or origin list left to its default follows the new issuer.
     */
    public LatchkeyConfig withIssuer(URI value) {
        return new LatchkeyConfig(tableName, Optional.of(value), region, dynamoDbEndpoint, kmsEndpoint, keyVault,
                kmsKeyId, masterKey, dataDir, port, maxBodyBytes, dataKeyCacheSize, dataKeyCacheTtl, healthTimeout,
                version, mailFrom, sesEndpoint, passwordMinLength, apiKeyCacheTtl, webauthnRpId, webauthnRpName,
                webauthnOrigins, webauthnUserVerificationRequired, accessTokenType, firstPartyClientId,
                clientAssertionMaxLifetime, registrationDisclosure, edgeOriginSecret,
                passkeyRegistration, cors, limits);
    }

    /** The same configuration with another DynamoDB endpoint. */
    public LatchkeyConfig withDynamoDbEndpoint(URI value) {
        return new LatchkeyConfig(tableName, issuer, region, Optional.of(value), kmsEndpoint, keyVault, kmsKeyId,
                masterKey, dataDir, port, maxBodyBytes, dataKeyCacheSize, dataKeyCacheTtl, healthTimeout, version,
                mailFrom, sesEndpoint, passwordMinLength, apiKeyCacheTtl, webauthnRpId, webauthnRpName,
                webauthnOrigins, webauthnUserVerificationRequired, accessTokenType, firstPartyClientId,
                clientAssertionMaxLifetime, registrationDisclosure, edgeOriginSecret,
                passkeyRegistration, cors, limits);
    }

    /**
     * The passkey (WebAuthn relying party) policy of this deployment: {@code LATCHKEY_WEBAUTHN_*}, with the RP id
     * defaulting to the issuer's host and the origins to the issuer's origin ({@code scheme://host[:port]}).
     *
     * @throws ConfigException when a default is needed and {@code LATCHKEY_ISSUER} is unset, when the issuer's
     *     host is an IP address (WebAuthn needs a domain), or when a configured origin lies outside the RP id
     */
    public PasskeyPolicy passkeyPolicy() {
        String rpId;
        if (webauthnRpId.isPresent()) {
            rpId = webauthnRpId.get();
        } else {
            String host = issuerOrFail(issuer, "LATCHKEY_WEBAUTHN_RP_ID").getHost().toLowerCase(Locale.ROOT);
            Optional<String> problem = PasskeyPolicy.rpIdProblem(host);
            if (problem.isPresent()) {
                throw new ConfigException(List.of("LATCHKEY_WEBAUTHN_RP_ID: unset, and the issuer's host '" + host
                        + "' " + problem.get() + "; set LATCHKEY_WEBAUTHN_RP_ID"));
            }
            rpId = host;
        }
        List<String> origins = webauthnOrigins;
        if (origins.isEmpty()) {
            URI uri = issuerOrFail(issuer, "LATCHKEY_WEBAUTHN_ORIGINS");
            origins = List.of(PasskeyPolicy.normalizeOrigin(uri.getScheme() + "://" + uri.getRawAuthority()));
        }
        List<String> problems = new ArrayList<>();
        for (String origin : origins) {
            PasskeyPolicy.scopeProblem(rpId, origin).ifPresent(problem -> problems.add("LATCHKEY_WEBAUTHN_ORIGINS: '"
                    + origin + "' " + problem));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new PasskeyPolicy(rpId, webauthnRpName, origins, webauthnUserVerificationRequired,
                limits.passkeyChallengeLifetime());
    }

    private static URI url(String value, boolean allowPath) {
        URI uri = URI.create(value);
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null
                || (!allowPath && uri.getPath() != null && uri.getPath().endsWith("/"))) {
            throw new IllegalArgumentException();
        }
        return uri;
    }

    /** Collects problems instead of failing on the first. */
    static final class Reader {
        private Map<String, String> environment;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> environment) {
            this.environment = environment;
        }

        /** Adds variables the environment does not set itself (the entries of {@code LATCHKEY_LIMITS}). */
        void underlay(Map<String, String> values) {
            Map<String, String> merged = new java.util.HashMap<>(values);
            merged.putAll(environment);
            environment = merged;
        }

        void problem(String line) {
            problems.add(line);
        }

        Optional<String> raw(String name) {
            String value = environment.get(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        String string(String name, String fallback, Pattern pattern, String expected) {
            String value = raw(name).orElse(fallback);
            if (!pattern.matcher(value).matches()) {
                problems.add(name + ": '" + value + "' is not " + expected);
            }
            return value;
        }

        <T> T parse(String name, T fallback, Function<String, T> parser, String expected) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                return parser.apply(value.get());
            } catch (RuntimeException e) {
                problems.add(name + ": '" + value.get() + "' is not " + expected);
                return fallback;
            }
        }

        <T> Optional<T> optional(String name, Function<String, T> parser) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(parser.apply(value.get()));
            } catch (RuntimeException e) {
                problems.add(name + ": '" + value.get() + "' is not an absolute http(s) URL without query");
                return Optional.empty();
            }
        }

        /** Like {@link #parse} but never repeats the value in the message. */
        Optional<String> secret(String name, Function<String, String> check, String expected) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(check.apply(value.get()));
            } catch (RuntimeException e) {
                problems.add(name + ": must be " + expected + " (value not shown)");
                return Optional.empty();
            }
        }

        int integer(String name, int fallback, int min, int max) {
            Optional<String> value = raw(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value.get());
                if (parsed < min || parsed > max) {
                    problems.add(name + ": " + parsed + " is outside " + min + ".." + max);
                    return fallback;
                }
                return parsed;
            } catch (NumberFormatException e) {
                problems.add(name + ": '" + value.get() + "' is not a whole number in " + min + ".." + max);
                return fallback;
            }
        }

        /**
         * An edge origin secret: long enough ({@value #EDGE_ORIGIN_SECRET_MIN_LENGTH}+ characters), a valid header
         * value, and not a repeated pattern (10+ distinct characters, so {@code aaaa…} or {@code abab…} fail).
         */
        static String edgeOriginSecret(String value) {
            if (value.length() < EDGE_ORIGIN_SECRET_MIN_LENGTH || !EDGE_ORIGIN_SECRET.matcher(value).matches()
                    || value.chars().distinct().count() < 10) {
                throw new IllegalArgumentException();
            }
            return value;
        }

        /** A plain mailbox address for the From header: no display name, no spaces, CR or LF. */
        static boolean isMailbox(String value) {
            return value.matches("[^\\s@<>\"]{1,64}@[A-Za-z0-9.-]{1,253}");
        }

        static boolean bool(String value) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    throw new IllegalArgumentException();
            }
        }

        static boolean userVerification(String value) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "required":
                    return true;
                case "preferred":
                    return false;
                default:
                    throw new IllegalArgumentException();
            }
        }

        static String masterKey(String value) {
            if (java.util.Base64.getDecoder().decode(value).length != 32) {
                throw new IllegalArgumentException();
            }
            return value;
        }

        void failIfAny() {
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
        }
    }

    private static URI issuerOrFail(Optional<URI> issuer, String variable) {
        return issuer.orElseThrow(() -> new ConfigException(List.of(variable
                + ": unset, and LATCHKEY_ISSUER (its default) is unset too")));
    }
}
