package dev.latchkey.core.client;

import dev.latchkey.core.http.Json;
import dev.latchkey.core.token.Base64Url;
import dev.latchkey.core.token.P256;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Verifies JWT client assertions (RFC 7523 §3, RFC 7521 §5.2) and jwt-bearer authorization grants (RFC 7523 §2.1,
 * §3) against a client's registered public keys. Thread-safe and stateless apart from the clock.
 *
 * <p>{@link #parse} first, without any key: at most {@value #MAX_LENGTH} characters, three canonical base64url
 * segments, header and payload strict UTF-8 JSON objects (duplicate keys refused). The header may hold only
 * {@code alg}, {@code typ}, {@code kid} and the hints {@code x5t}/{@code x5t#S256} (ignored: the key always comes
 * from the registry); a key carried or pointed to ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) or
 * {@code crit} is refused (RFC 8725 §3.1); {@code alg} must be {@code EdDSA} (or its RFC 9864 name
 * {@code Ed25519}) or {@code ES256} — never {@code none}, an HMAC or RSA (RFC 8725 §3.1, §2.1 "alg
 * confusion"); {@code typ}, when present, {@code JWT} or {@code client-authentication+jwt}, so an access
 * token ({@code at+jwt}) is never taken for an assertion.
 *
 * <p>Then {@link #checkClaims}, the rules about the assertion alone (no client, no key), which a caller may be
 * told about ({@link ClientAuthenticationFailure#disclosure()}):
 * <ol>
 *   <li>{@code iss} = {@code sub} (RFC 7523 §3 items 1, 2);</li>
 *   <li>{@code aud} (string or array) contains one of the accepted audiences, compared as exact strings: the
 *       issuer, the token endpoint URL, or the URL of the endpoint being called (introspection, revocation) — item
 *       3 and RFC 7521 §5.1, and what libraries send (Nimbus's {@code PrivateKeyJWT} names the endpoint it calls);</li>
 *   <li>{@code exp} present, {@code now < exp} (item 4);</li>
 *   <li>{@code nbf} and {@code iat}, when present, not later than now + {@link #CLOCK_SKEW} (items 5, 6);</li>
 *   <li>lifetime: {@code exp} no more than the configured maximum ({@code LATCHKEY_CLIENT_ASSERTION_MAX_LIFETIME},
 *       default {@link #DEFAULT_MAX_LIFETIME}, authlib's default lifetime) after {@code iat}, or after now
 *       without {@code iat} — the {@code jti} is then remembered until {@code exp} (item 7,
 *       {@link AssertionReplayStore}), so the maximum bounds the replay store;</li>
 *   <li>{@code jti} present, 1–256 characters (checked by {@link #parse}).</li>
 * </ol>
 * Then {@link #verifySignature} against the client that {@code iss} names:
 * <ol>
 *   <li>the signature (item 9): the candidate keys are the client's keys usable now with the header's
 *       {@code alg} — and, when the header names a {@code kid}, only that one; one of them must verify it.
 *       EdDSA is Ed25519 through Bouncy Castle's {@code Ed25519.verify} (RFC 8032 §5.1.7; 13 times the JDK 17
 *       verifier's rate when only C1 compiles, docs/performance.md); ES256 is P-256 with a
 *       64-byte r‖s signature (RFC 7518 §3.4) through {@code SHA256withECDSAinP1363Format}, r and s checked to
 *       lie in [1, n − 1] first (CVE-2022-21449).</li>
 * </ol>
 * Every refusal is a {@link ClientAuthenticationException} with its {@link ClientAuthenticationFailure reason};
 * neither the assertion nor a value from it is put in the exception.
 */
public final class ClientAssertions {

    /** RFC 7523 §2.2 {@code client_assertion_type}. */
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** The longest accepted {@code exp − iat} unless configured: one hour, authlib's default lifetime. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(1);

    /** The smallest configurable maximum lifetime. */
    public static final Duration MIN_MAX_LIFETIME = Duration.ofMinutes(1);

    /** The largest configurable maximum lifetime: the replay store keeps each jti this long at most. */
    public static final Duration MAX_MAX_LIFETIME = Duration.ofDays(1);

    /** How far {@code iat} and {@code nbf} may lie in the future (the client's clock running ahead). */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    /** Longer assertions are refused before any parsing. */
    public static final int MAX_LENGTH = 8192;

    /** {@code alg} of an Ed25519 signature (RFC 8037 §3.1). */
    public static final String EDDSA = ClientPublicKeys.EDDSA;

    /**
     * The fully-specified {@code alg} of an Ed25519 signature (RFC 9864 §2.2), which newer libraries
     * (oauth4webapi and so openid-client) send for an Ed25519 key. The same algorithm as {@link #EDDSA} on an
     * Ed25519 key: {@link #parse} reads it as {@code EdDSA}.
     */
    public static final String ED25519 = "Ed25519";

    /** {@code alg} of a P-256 signature (RFC 7518 §3.4). */
    public static final String ES256 = ClientPublicKeys.ES256;

    /**
     * The {@code alg} values accepted, in the order metadata lists them
     * ({@code token_endpoint_auth_signing_alg_values_supported}, RFC 8414 §2).
     */
    public static final List<String> SIGNING_ALGORITHMS = List.of(EDDSA, ED25519, ES256);

    private static final Set<String> ALGORITHMS = Set.copyOf(SIGNING_ALGORITHMS);
    private static final Set<String> ALLOWED_HEADERS = Set.of("alg", "typ", "kid", "x5t", "x5t#S256");
    private static final Set<String> KEY_HEADERS = Set.of("jwk", "jku", "x5u", "x5c");
    private static final Set<String> TYPES = Set.of("jwt", "client-authentication+jwt",
            "application/client-authentication+jwt");
    private static final Pattern KID = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final int MAX_JTI = 256;
    private static final int SIGNATURE_BYTES = 64;
    private static final int HALF = 32;
    /** 9999-12-31T23:59:59Z, the largest NumericDate accepted. */
    private static final long MAX_NUMERIC_DATE = 253_402_300_799L;

    private final Clock clock;
    private final long maxLifetimeSeconds;

    /** Assertions living up to {@link #DEFAULT_MAX_LIFETIME}. */
    public ClientAssertions(Clock clock) {
        this(clock, DEFAULT_MAX_LIFETIME);
    }

    /**
     * @param clock the current time
     * @param maxLifetime the longest accepted {@code exp − iat} (or {@code exp − now}), whole seconds from
     *     {@link #MIN_MAX_LIFETIME} to {@link #MAX_MAX_LIFETIME}
     * @throws IllegalArgumentException for a maximum out of range
     */
    public ClientAssertions(Clock clock, Duration maxLifetime) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxLifetime.getNano() != 0 || maxLifetime.compareTo(MIN_MAX_LIFETIME) < 0
                || maxLifetime.compareTo(MAX_MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("maxLifetime must be whole seconds from " + MIN_MAX_LIFETIME + " to "
                    + MAX_MAX_LIFETIME);
        }
        this.maxLifetimeSeconds = maxLifetime.getSeconds();
    }

    /** The longest accepted lifetime. */
    public Duration maxLifetime() {
        return Duration.ofSeconds(maxLifetimeSeconds);
    }

    /**
     * Reads an assertion's structure and header without any key.
     *
     * @throws ClientAuthenticationException {@code MALFORMED_ASSERTION}, {@code ALGORITHM_NOT_ALLOWED},
     *     {@code UNSUPPORTED_HEADER} or {@code WRONG_TYPE}
     */
    public static ParsedAssertion parse(String assertion) {
        if (assertion == null || assertion.isEmpty() || assertion.length() > MAX_LENGTH) {
            throw fail(ClientAuthenticationFailure.MALFORMED_ASSERTION);
        }
        int first = assertion.indexOf('.');
        int second = first < 0 ? -1 : assertion.indexOf('.', first + 1);
        if (second < 0 || assertion.indexOf('.', second + 1) >= 0) {
            throw fail(ClientAuthenticationFailure.MALFORMED_ASSERTION);
        }
        JsonNode header = jsonObject(assertion.substring(0, first));
        JsonNode payload = jsonObject(assertion.substring(first + 1, second));
        byte[] signature = Base64Url.decode(assertion.substring(second + 1))
                .orElseThrow(() -> fail(ClientAuthenticationFailure.MALFORMED_ASSERTION));
        Collection<String> names = header.propertyNames();
        if (names.stream().anyMatch(KEY_HEADERS::contains) || names.contains("crit")
                || !ALLOWED_HEADERS.containsAll(names)) {
            throw fail(ClientAuthenticationFailure.UNSUPPORTED_HEADER);
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isString() || !ALGORITHMS.contains(alg.asString())) {
            throw fail(ClientAuthenticationFailure.ALGORITHM_NOT_ALLOWED);
        }
        JsonNode typ = header.get("typ");
        if (typ != null && (!typ.isString() || !TYPES.contains(typ.asString().toLowerCase(Locale.ROOT)))) {
            throw fail(ClientAuthenticationFailure.WRONG_TYPE);
        }
        JsonNode kid = header.get("kid");
        if (kid != null && (!kid.isString() || !KID.matcher(kid.asString()).matches())) {
            throw fail(ClientAuthenticationFailure.MALFORMED_ASSERTION);
        }
        String issuer = requiredString(payload, "iss");
        String subject = requiredString(payload, "sub");
        String jwtId = requiredString(payload, "jti");
        if (jwtId.length() > MAX_JTI) {
            throw fail(ClientAuthenticationFailure.MALFORMED_ASSERTION);
        }
        List<String> audience = audience(payload.get("aud"));
        long expiresAt = numericDate(payload, "exp")
                .orElseThrow(() -> fail(ClientAuthenticationFailure.MALFORMED_ASSERTION));
        byte[] signingInput = assertion.substring(0, second).getBytes(StandardCharsets.US_ASCII);
        String algorithm = ED25519.equals(alg.asString()) ? EDDSA : alg.asString();
        return new ParsedAssertion(algorithm, Optional.ofNullable(kid).map(JsonNode::asString), issuer, subject,
                audience, expiresAt, numericDate(payload, "iat"), numericDate(payload, "nbf"), jwtId, signingInput,
                signature);
    }

    /**
     * Verifies a parsed assertion as the given client's: {@link #checkClaims}, then {@link #verifySignature}.
     *
     * @param assertion from {@link #parse}
     * @param client the client its {@code iss} names, with its keys
     * @param audiences the accepted {@code aud} values (the issuer, the token endpoint URL, the endpoint called)
     * @return the verified assertion, whose jti the caller still has to spend
     * @throws ClientAuthenticationException with the first failed check's reason
     */
    public ClientAssertion verify(ParsedAssertion assertion, ServiceClient client, Set<String> audiences) {
        checkClaims(assertion, audiences);
        return verifySignature(assertion, client);
    }

    /**
     * The rules about the assertion alone, before any client is looked up or key used (RFC 7523 §3 items 1–6):
     * {@code sub} = {@code iss}, {@code aud}, {@code exp}, {@code iat}/{@code nbf}, lifetime.
     *
     * @param assertion from {@link #parse}
     * @param audiences the accepted {@code aud} values, compared exactly
     * @throws ClientAuthenticationException {@code WRONG_SUBJECT}, {@code WRONG_AUDIENCE}, {@code EXPIRED},
     *     {@code NOT_YET_VALID} or {@code LIFETIME_TOO_LONG}
     */
    public void checkClaims(ParsedAssertion assertion, Set<String> audiences) {
        if (!assertion.subject().equals(assertion.issuer())) {
            throw fail(ClientAuthenticationFailure.WRONG_SUBJECT);
        }
        if (assertion.audience().stream().noneMatch(audiences::contains)) {
            throw fail(ClientAuthenticationFailure.WRONG_AUDIENCE);
        }
        long nowSeconds = clock.instant().getEpochSecond();
        if (nowSeconds >= assertion.expiresAt()) {
            throw fail(ClientAuthenticationFailure.EXPIRED);
        }
        long latestStart = nowSeconds + CLOCK_SKEW.toSeconds();
        if (assertion.issuedAt().filter(iat -> iat > latestStart).isPresent()
                || assertion.notBefore().filter(nbf -> nbf > latestStart).isPresent()) {
            throw fail(ClientAuthenticationFailure.NOT_YET_VALID);
        }
        long start = assertion.issuedAt().orElse(nowSeconds);
        if (assertion.expiresAt() - start > maxLifetimeSeconds
                || assertion.expiresAt() - nowSeconds > maxLifetimeSeconds + CLOCK_SKEW.toSeconds()) {
            throw fail(ClientAuthenticationFailure.LIFETIME_TOO_LONG);
        }
    }

    /**
     * The signature, against the keys of the client that {@code iss} names (RFC 7523 §3 item 9).
     *
     * @param assertion from {@link #parse}, whose claims {@link #checkClaims} accepted
     * @param client the client its {@code iss} names, with its keys
     * @return the verified assertion, whose jti the caller still has to spend
     * @throws ClientAuthenticationException {@code WRONG_SUBJECT} (another client's), {@code NO_USABLE_KEY} or
     *     {@code BAD_SIGNATURE}
     */
    public ClientAssertion verifySignature(ParsedAssertion assertion, ServiceClient client) {
        if (!assertion.issuer().equals(client.clientId()) || !assertion.subject().equals(client.clientId())) {
            throw fail(ClientAuthenticationFailure.WRONG_SUBJECT);
        }
        Instant now = clock.instant();
        List<ClientKey> candidates = client.keys().stream()
                .filter(key -> key.usableAt(now))
                .filter(key -> key.algorithm().equals(assertion.algorithm()))
                .filter(key -> assertion.keyId().map(kid -> kid.equals(key.kid())).orElse(true))
                .toList();
        if (candidates.isEmpty()) {
            throw fail(ClientAuthenticationFailure.NO_USABLE_KEY);
        }
        for (ClientKey key : candidates) {
            if (signatureVerifies(assertion, key)) {
                return new ClientAssertion(client.clientId(), assertion.jwtId(),
                        Instant.ofEpochSecond(assertion.expiresAt()), key.keyId());
            }
        }
        throw fail(ClientAuthenticationFailure.BAD_SIGNATURE);
    }

    /**
     * Whether the signature of {@code assertion} verifies with {@code key}, under the assertion's {@code alg}
     * (which the caller matched to the key's).
     */
    static boolean signatureVerifies(ParsedAssertion assertion, ClientKey key) {
        byte[] signature = assertion.signature();
        if (signature.length != SIGNATURE_BYTES) {
            return false;
        }
        if (EDDSA.equals(assertion.algorithm())) {
            byte[] input = assertion.signingInput();
            return ClientPublicKeys.ed25519Key(key)
                    .map(raw -> Ed25519.verify(signature, 0, raw, 0, input, 0, input.length)).orElse(false);
        }
        try {
            PublicKey publicKey = ClientPublicKeys.publicKey(key);
            if (!(publicKey instanceof ECPublicKey ecKey) || !P256.is(ecKey.getParams())
                    || !scalarsInRange(signature)) {
                return false;
            }
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(publicKey);
            verifier.update(assertion.signingInput());
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** r and s each in [1, n − 1]: a zero or oversized scalar never reaches the crypto. */
    private static boolean scalarsInRange(byte[] signature) {
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, HALF));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, HALF, SIGNATURE_BYTES));
        BigInteger n = P256.order();
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(n) < 0 && s.compareTo(n) < 0;
    }

    private static JsonNode jsonObject(String segment) {
        byte[] bytes = Base64Url.decode(segment).orElseThrow(() -> fail(
                ClientAuthenticationFailure.MALFORMED_ASSERTION));
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            JsonNode node = Json.mapper().readTree(text);
            if (node == null || !node.isObject()) {
                throw fail(ClientAuthenticationFailure.MALFORMED_ASSERTION);
            }
            return node;
        } catch (CharacterCodingException | JacksonException e) {
            throw fail(ClientAuthenticationFailure.MALFORMED_ASSERTION);
        }
    }

    private static String requiredString(JsonNode payload, String name) {
        JsonNode value = payload.get(name);
        if (value == null || !value.isString() || value.asString().isEmpty()) {
            throw fail(ClientAuthenticationFailure.MALFORMED_ASSERTION);
        }
        return value.asString();
    }

    private static List<String> audience(JsonNode aud) {
        if (aud != null && aud.isString()) {
            return List.of(aud.asString());
        }
        if (aud == null || !aud.isArray() || aud.isEmpty()) {
            throw fail(ClientAuthenticationFailure.MALFORMED_ASSERTION);
        }
        List<String> values = new java.util.ArrayList<>();
        for (JsonNode element : aud) {
            if (!element.isString()) {
                throw fail(ClientAuthenticationFailure.MALFORMED_ASSERTION);
            }
            values.add(element.asString());
        }
        return List.copyOf(values);
    }

    private static Optional<Long> numericDate(JsonNode payload, String name) {
        JsonNode value = payload.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0
                || value.asLong() > MAX_NUMERIC_DATE) {
            throw fail(ClientAuthenticationFailure.MALFORMED_ASSERTION);
        }
        return Optional.of(value.asLong());
    }

    private static ClientAuthenticationException fail(ClientAuthenticationFailure reason) {
        return new ClientAuthenticationException(reason);
    }
}
