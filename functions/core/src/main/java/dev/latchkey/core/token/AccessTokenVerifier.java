package dev.latchkey.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.token.InvalidTokenException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Verifies Latchkey access tokens (RFC 9068 §4, RFC 8725). Thread-safe; build one per container.
 *
 * <p>Two layers. First this class's own checks on the raw token, strict where JWT libraries are lenient (they
 * ignore header parameters they do not use — {@code typ}, {@code jwk}, {@code jku}… — and parse JSON leniently,
 * duplicate keys: last one wins):
 * <ol>
 *   <li>at most {@value #MAX_TOKEN_LENGTH} characters, exactly three segments, each canonical
 *       base64url without padding;</li>
 *   <li>header and payload are strict JSON objects in UTF-8 (no duplicate keys, nothing after the
 *       value);</li>
 *   <li>header: only {@code alg}, {@code typ}, {@code kid}; {@code alg} exactly {@code ES256};
 *       {@code typ} one of the {@link AccessTokenType}s Latchkey issues: {@code at+jwt} or
 *       {@code application/at+jwt} (RFC 9068 §4), or {@code JWT} or {@code application/jwt} (RFC 7519 §5.1),
 *       case-insensitive (media types are, RFC 7515 §4.1.9) — both, whichever the deployment issues now, so
 *       switching {@code LATCHKEY_ACCESS_TOKEN_TYPE} breaks no live token; any other {@code typ} (a client
 *       assertion's, a logout or ID token's) is another kind of token and refused;
 *       {@code kid} 1–128 base64url characters — only then is the {@link PublicKeyResolver}
 *       asked;</li>
 *   <li>payload: {@code iss sub aud exp iat jti} present; every known claim of its type
 *       (NumericDates are integers in 0 … 253402300799); none of the claims only an ID token carries
 *       ({@code nonce}, {@code at_hash}, {@code c_hash}, {@code s_hash}; OpenID Connect Core §2, §3.3.2.11), so an
 *       ID token signed by the same key never passes as an access token even with {@code typ JWT};</li>
 *   <li>signature: exactly 64 bytes (r‖s, RFC 7518 §3.4), so a DER signature never reaches the
 *       crypto.</li>
 * </ol>
 * Then the signature, by Nimbus JOSE+JWT's {@code ECDSAVerifier} over the exact signing input (it also rejects r
 * or s of zero or ≥ n, CVE-2022-21449), and this class's claim checks in this order: {@code iss}, {@code aud},
 * {@code exp}, {@code nbf}, {@code iat}, with the leeway: a token is accepted while now &lt; exp + leeway, and when
 * nbf and iat ≤ now + leeway (now in whole seconds).
 */
public final class AccessTokenVerifier {

    /** The default clock-skew allowance for {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);

    /** The largest leeway accepted: more would stretch a 15-minute token noticeably. */
    public static final Duration MAX_LEEWAY = Duration.ofMinutes(5);

    /** Longer tokens are rejected before any parsing (ours are well under 2 KiB). */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private static final String ES256 = "ES256";
    private static final Set<String> ALLOWED_HEADERS = Set.of("alg", "typ", "kid");
    private static final Set<String> KEY_HEADERS = Set.of("jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256");
    private static final Set<String> TYPES = Set.of("at+jwt", "application/at+jwt", "jwt", "application/jwt");
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final List<String> REQUIRED_CLAIMS = List.of("iss", "sub", "aud", "exp", "iat", "jti");
    private static final List<String> ID_TOKEN_CLAIMS = List.of("nonce", "at_hash", "c_hash", "s_hash");
    private static final List<String> STRING_CLAIMS = List.of("iss", "sub", "jti", "scope", "client_id", "org", "sid",
            "token_use");
    private static final List<String> DATE_CLAIMS = List.of("exp", "iat", "nbf", "auth_time");
    /** 9999-12-31T23:59:59Z, the largest NumericDate accepted. */
    private static final long MAX_NUMERIC_DATE = 253_402_300_799L;
    private static final int SIGNATURE_BYTES = 2 * P256.FIELD_BYTES;
    private static final JWSHeader ES256_HEADER = new JWSHeader(JWSAlgorithm.ES256);

    private final PublicKeyResolver keys;
    private final String issuer;
    /** The accepted audiences; null for {@link #forAnyAudience}. */
    private final String[] audiences;
    private final Clock clock;
    private final long leewaySeconds;

    /**
     * A verifier with the {@link #DEFAULT_LEEWAY default leeway} of 30 seconds.
     *
     * @see #AccessTokenVerifier(PublicKeyResolver, String, Set, Clock, Duration)
     */
    public AccessTokenVerifier(PublicKeyResolver keys, String issuer, Set<String> audiences, Clock clock) {
        this(keys, issuer, audiences, clock, DEFAULT_LEEWAY);
    }

    /**
     * @param keys finds published public keys by {@code kid}
     * @param issuer the only accepted {@code iss}
     * @param audiences the accepted audiences: a token's {@code aud} must name at least one
     * @param clock the current time
     * @param leeway clock-skew allowance in whole seconds, 0 to {@link #MAX_LEEWAY}
     * @throws IllegalArgumentException for a blank issuer, no audience, or a leeway out of range
     */
    public AccessTokenVerifier(PublicKeyResolver keys, String issuer, Set<String> audiences, Clock clock,
            Duration leeway) {
        this(keys, issuer, checkedAudiences(audiences), clock, leeway);
    }

    private AccessTokenVerifier(PublicKeyResolver keys, String issuer, String[] audiences, Clock clock,
            Duration leeway) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("issuer must not be blank");
        }
        this.issuer = issuer;
        this.audiences = audiences;
        if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0 || leeway.getNano() != 0) {
            throw new IllegalArgumentException("leeway must be whole seconds from 0 to " + MAX_LEEWAY);
        }
        this.leewaySeconds = leeway.getSeconds();
    }

    /**
     * A verifier that accepts every {@code aud} (still required to be present and well-formed), for token
     * introspection (RFC 7662 §2.2): every access token this issuer signed is "ours", whichever resource it was
     * issued for; the caller decides what else must hold (the {@code org}). Never for authenticating a request.
     */
    public static AccessTokenVerifier forAnyAudience(PublicKeyResolver keys, String issuer, Clock clock) {
        return new AccessTokenVerifier(keys, issuer, (String[]) null, clock, DEFAULT_LEEWAY);
    }

    /**
     * {@link #forAnyAudience}, built on first use rather than at construction: the issuer may be known only once the
     * process serves (the local server's port). Thread-safe; two first calls at once may each build one, and the
     * first one stored is kept — both are equal.
     */
    public static Supplier<AccessTokenVerifier> forAnyAudienceOnFirstUse(PublicKeyResolver keys,
            Supplier<String> issuer, Clock clock) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(clock, "clock");
        AtomicReference<AccessTokenVerifier> built = new AtomicReference<>();
        return () -> {
            AccessTokenVerifier current = built.get();
            if (current == null) {
                built.compareAndSet(null, forAnyAudience(keys, issuer.get(), clock));
                current = built.get();
            }
            return current;
        };
    }

    private static String[] checkedAudiences(Set<String> audiences) {
        if (audiences.isEmpty() || audiences.stream().anyMatch(a -> a == null || a.isBlank())) {
            throw new IllegalArgumentException("audiences must be non-blank and at least one");
        }
        return audiences.toArray(String[]::new);
    }

    /**
     * Verifies an access token (the bearer value, without {@code Bearer }).
     *
     * @return the token's key id and claims
     * @throws InvalidTokenException when the token is not a valid, current Latchkey access token for
     *     this issuer and audience
     * @throws IllegalStateException when the resolver returns a key that is not on P-256 (a bug);
     *     anything the resolver itself throws passes through unchanged
     */
    public VerifiedAccessToken verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw invalid(Reason.MALFORMED);
        }
        String[] segments = segments(token);
        JsonNode header = jsonObject(segments[0]);
        String kid = checkHeader(header);
        JsonNode payload = jsonObject(segments[1]);
        checkClaimShapes(payload);
        byte[] signature = Base64Url.decode(segments[2]).orElseThrow(() -> invalid(Reason.MALFORMED));
        if (signature.length != SIGNATURE_BYTES) {
            throw invalid(Reason.BAD_SIGNATURE);
        }
        ECPublicKey key = keys.byKid(kid).orElseThrow(() -> invalid(Reason.UNKNOWN_KEY));
        if (!P256.is(key.getParams())) {
            throw new IllegalStateException("the key resolver returned a key that is not on P-256");
        }
        if (!es256Valid(segments[0], segments[1], segments[2], key)) {
            throw invalid(Reason.BAD_SIGNATURE);
        }
        checkClaimValues(payload);
        return new VerifiedAccessToken(kid, claims(payload));
    }

    /**
     * Checks only the ES256 signature of a compact JWS, through the same signature layer as
     * {@link #verify}: nothing about its header or claims. For known-answer tests with tokens made
     * elsewhere (RFC 7515 A.3), never for authenticating a request.
     *
     * @throws InvalidTokenException {@code BAD_SIGNATURE} or {@code MALFORMED}
     */
    static void verifySignatureOnly(String token, ECPublicKey key) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid(Reason.MALFORMED);
        }
        if (!es256Valid(parts[0], parts[1], parts[2], key)) {
            throw invalid(Reason.BAD_SIGNATURE);
        }
    }

    /**
     * The signature layer every verification uses: Nimbus's ES256 {@code ECDSAVerifier} on the signing input
     * {@code header.payload} as sent (RFC 7515 §5.2 steps 8–9) and the base64url signature, which must be r‖s of
     * 64 bytes (RFC 7518 §3.4). Never throws for a bad signature: false.
     */
    static boolean es256Valid(String header, String payload, String signature, ECPublicKey key) {
        Optional<byte[]> bytes = Base64Url.decode(signature);
        if (bytes.isEmpty() || bytes.get().length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            return new ECDSAVerifier(key).verify(ES256_HEADER,
                    (header + "." + payload).getBytes(StandardCharsets.US_ASCII), Base64URL.encode(bytes.get()));
        } catch (JOSEException e) {
            return false;
        }
    }

    /**
     * RFC 9068 §4 steps: {@code iss} exactly ours, {@code aud} names an accepted audience, then the times with the
     * leeway (RFC 7519 §4.1.4, §4.1.5, §4.1.6). The shapes were checked by {@link #checkClaimShapes}.
     */
    private void checkClaimValues(JsonNode payload) {
        if (!issuer.equals(payload.get("iss").asString())) {
            throw invalid(Reason.WRONG_ISSUER);
        }
        if (audiences != null) {
            JsonNode aud = payload.get("aud");
            List<String> named = new ArrayList<>();
            if (aud.isString()) {
                named.add(aud.asString());
            } else {
                aud.forEach(value -> named.add(value.asString()));
            }
            if (Arrays.stream(audiences).noneMatch(named::contains)) {
                throw invalid(Reason.WRONG_AUDIENCE);
            }
        }
        long now = clock.instant().truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
        if (!(now - leewaySeconds < payload.get("exp").asLong())) {
            throw invalid(Reason.EXPIRED);
        }
        JsonNode nbf = payload.get("nbf");
        if (nbf != null && nbf.asLong() > now + leewaySeconds) {
            throw invalid(Reason.NOT_YET_VALID);
        }
        if (payload.get("iat").asLong() > now + leewaySeconds) {
            throw invalid(Reason.ISSUED_IN_FUTURE);
        }
    }

    private static String[] segments(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw invalid(Reason.MALFORMED);
        }
        return new String[] {
            token.substring(0, first), token.substring(first + 1, second), token.substring(second + 1),
        };
    }

    private static JsonNode jsonObject(String segment) {
        byte[] bytes = Base64Url.decode(segment).orElseThrow(() -> invalid(Reason.MALFORMED));
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid(Reason.MALFORMED);
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JacksonException e) {
            throw invalid(Reason.MALFORMED);
        }
        if (node == null || !node.isObject()) {
            throw invalid(Reason.MALFORMED);
        }
        return node;
    }

    /** RFC 8725 §3.1, §3.11; RFC 7515 §4.1.11; RFC 9068 §4. Returns the checked {@code kid}. */
    private static String checkHeader(JsonNode header) {
        Collection<String> names = header.propertyNames();
        if (names.stream().anyMatch(KEY_HEADERS::contains)) {
            throw invalid(Reason.EMBEDDED_KEY);
        }
        if (names.contains("crit")) {
            throw invalid(Reason.CRITICAL_HEADER);
        }
        if (!ALLOWED_HEADERS.containsAll(names)) {
            throw invalid(Reason.UNSUPPORTED_HEADER);
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isString() || !ES256.equals(alg.asString())) {
            throw invalid(Reason.ALGORITHM_NOT_ALLOWED);
        }
        JsonNode typ = header.get("typ");
        if (typ == null || !typ.isString() || !TYPES.contains(typ.asString().toLowerCase(Locale.ROOT))) {
            throw invalid(Reason.WRONG_TYPE);
        }
        JsonNode kid = header.get("kid");
        if (kid == null) {
            throw invalid(Reason.MISSING_KEY_ID);
        }
        if (!kid.isString() || !KID.matcher(kid.asString()).matches()) {
            throw invalid(Reason.INVALID_KEY_ID);
        }
        return kid.asString();
    }

    private static void checkClaimShapes(JsonNode payload) {
        for (String name : REQUIRED_CLAIMS) {
            if (!payload.has(name)) {
                throw invalid(Reason.MISSING_CLAIM);
            }
        }
        for (String name : ID_TOKEN_CLAIMS) {
            if (payload.has(name)) {
                throw invalid(Reason.WRONG_TYPE);
            }
        }
        for (String name : STRING_CLAIMS) {
            JsonNode value = payload.get(name);
            if (value != null && !value.isString()) {
                throw invalid(Reason.INVALID_CLAIM);
            }
        }
        for (String name : DATE_CLAIMS) {
            JsonNode value = payload.get(name);
            if (value != null && !isNumericDate(value)) {
                throw invalid(Reason.INVALID_CLAIM);
            }
        }
        JsonNode aud = payload.get("aud");
        if (!aud.isString() && !isNonEmptyStringArray(aud)) {
            throw invalid(Reason.INVALID_CLAIM);
        }
        JsonNode amr = payload.get("amr");
        if (amr != null && !isNonEmptyStringArray(amr)) {
            throw invalid(Reason.INVALID_CLAIM);
        }
    }

    private static boolean isNumericDate(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToLong()
                && value.asLong() >= 0 && value.asLong() <= MAX_NUMERIC_DATE;
    }

    private static boolean isNonEmptyStringArray(JsonNode value) {
        if (!value.isArray() || value.isEmpty()) {
            return false;
        }
        for (JsonNode element : value) {
            if (!element.isString()) {
                return false;
            }
        }
        return true;
    }

    /** The claims of a token whose shape {@link #checkClaimShapes} accepted, signature and values verified. */
    private static AccessTokenClaims claims(JsonNode payload) {
        JsonNode aud = payload.get("aud");
        List<String> audience = new ArrayList<>();
        if (aud.isString()) {
            audience.add(aud.asString());
        } else {
            aud.forEach(value -> audience.add(value.asString()));
        }
        List<String> amr = new ArrayList<>();
        Optional.ofNullable(payload.get("amr")).ifPresent(values -> values.forEach(v -> amr.add(v.asString())));
        List<String> scope = Optional.ofNullable(payload.get("scope"))
                .map(value -> List.of(value.asString().split(" ", -1))).orElse(List.of());
        try {
            return new AccessTokenClaims(payload.get("iss").asString(), payload.get("sub").asString(), audience,
                    instant(payload, "iat").orElseThrow(), instant(payload, "exp").orElseThrow(),
                    payload.get("jti").asString(), scope, string(payload, "client_id"), string(payload, "org"),
                    string(payload, "sid"), amr, instant(payload, "auth_time"), string(payload, "token_use"));
        } catch (IllegalArgumentException e) {
            throw invalid(Reason.INVALID_CLAIM);
        }
    }

    private static Optional<String> string(JsonNode payload, String name) {
        return Optional.ofNullable(payload.get(name)).map(JsonNode::asString);
    }

    private static Optional<Instant> instant(JsonNode payload, String name) {
        return Optional.ofNullable(payload.get(name)).map(value -> Instant.ofEpochSecond(value.asLong()));
    }

    private static InvalidTokenException invalid(Reason reason) {
        return new InvalidTokenException(reason);
    }
}
