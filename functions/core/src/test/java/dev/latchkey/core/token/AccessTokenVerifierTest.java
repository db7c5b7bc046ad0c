package dev.latchkey.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.token.InvalidTokenException.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Access-token verification against SECURITY.md "Tokens and JWKS" [9.1.1–9.1.3], [9.2.1–9.2.3].
 * Attack tokens are hand-made by {@link Jws} and, unless the attack is the signature itself, carry
 * a valid ES256 signature by the trusted key — so each rejection is for the stated reason alone.
 */
class AccessTokenVerifierTest {

    private static final BigInteger ORDER = P256.PARAMS.getOrder();

    private static OpenedSigningKey key;
    private static AccessTokenIssuer issuer;
    private static AccessTokenVerifier verifier;

    @BeforeAll
    static void keys() {
        key = TestKeys.opened();
        issuer = new AccessTokenIssuer(key, TestKeys.clockAt(TestKeys.NOW), new SecureRandom());
        verifier = verifierAt(TestKeys.NOW);
    }

    private static AccessTokenVerifier verifierAt(Instant now) {
        return new AccessTokenVerifier(TestKeys.resolverOf(key), TestKeys.ISSUER, Set.of(TestKeys.AUDIENCE),
                TestKeys.clockAt(now));
    }

    /** A token signed by the trusted key after {@code header} and {@code payload} were changed. */
    private static String token(Consumer<Map<String, Object>> header, Consumer<Map<String, Object>> payload) {
        Map<String, Object> h = Jws.header(key.kid());
        Map<String, Object> p = Jws.payload();
        header.accept(h);
        payload.accept(p);
        return Jws.sign(h, p, key.privateKey());
    }

    private static String withHeader(Consumer<Map<String, Object>> header) {
        return token(header, p -> { });
    }

    private static String withPayload(Consumer<Map<String, Object>> payload) {
        return token(h -> { }, payload);
    }

    private static String[] parts(String token) {
        return token.split("\\.", -1);
    }

    private static String replaceSignature(String token, byte[] signature) {
        String[] parts = parts(token);
        return parts[0] + "." + parts[1] + "." + Jws.b64(signature);
    }

    private static InvalidTokenException rejection(AccessTokenVerifier v, String token) {
        InvalidTokenException e = catchThrowableOfType(InvalidTokenException.class, () -> v.verify(token));
        assertThat(e).as("token must be rejected").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(e.getMessage()).isEqualTo("The access token is invalid or has expired.");
        assertThat(e.details()).isEmpty();
        assertThat(e.getCause()).isNull();
        return e;
    }

    private static void assertRejected(String token, Reason reason) {
        assertRejected(verifier, token, reason);
    }

    private static void assertRejected(AccessTokenVerifier v, String token, Reason reason) {
        assertThat(rejection(v, token).reason()).isEqualTo(reason);
    }

    @Nested
    @DisplayName("valid tokens")
    class Valid {

        @Test
        void verifyWhenIssuedByOurIssuerThenAllClaimsRoundTrip() {
            AccessTokenClaims claims = TestKeys.claims().scope("openid", "org:read").clientId("cli_1").org("org_1")
                    .sessionId("ses_1").amr("pwd", "otp").authTime(TestKeys.NOW.minusSeconds(60)).build();

            VerifiedAccessToken verified = verifier.verify(issuer.issue(claims));

            assertThat(verified.kid()).isEqualTo(key.kid());
            assertThat(verified.claims()).isEqualTo(claims);
            assertThat(verified.hasScope("org:read")).isTrue();
            assertThat(verified.hasScope("org:update")).isFalse();
        }

        @Test
        void verifyWhenMinimalClaimsThenOptionalsEmpty() {
            VerifiedAccessToken verified = verifier.verify(issuer.issue(TestKeys.claims().build()));

            assertThat(verified.claims().scope()).isEmpty();
            assertThat(verified.claims().amr()).isEmpty();
            assertThat(verified.claims().clientId()).isEmpty();
            assertThat(verified.claims().authTime()).isEmpty();
        }

        @Test
        void verifyWhenHandMadeTokenLikeOursThenAccepted() {
            assertThat(verifier.verify(token(h -> { }, p -> { })).claims().jwtId()).isEqualTo("jti-0001");
        }

        /**
         * RFC 9068 §4: typ is at+jwt or application/at+jwt; RFC 7519 §5.1: JWT (what Latchkey issues by default);
         * media types are case-insensitive. Both kinds, so switching LATCHKEY_ACCESS_TOKEN_TYPE breaks no live token.
         */
        @ParameterizedTest
        @ValueSource(strings = {"at+jwt", "application/at+jwt", "AT+JWT", "Application/At+Jwt", "JWT", "jwt",
            "application/jwt", "Application/JWT"})
        void verifyWhenTypIsAnAtJwtOrJwtSpellingThenAccepted(String typ) {
            assertThat(verifier.verify(withHeader(h -> h.put("typ", typ)))).isNotNull();
        }

        @Test
        void verifyWhenAudienceArrayContainsOneExpectedThenAccepted() {
            String token = withPayload(p -> p.put("aud", List.of("other", TestKeys.AUDIENCE)));

            assertThat(verifier.verify(token).claims().audience()).containsExactly("other", TestKeys.AUDIENCE);
        }

        @Test
        void verifyWhenVerifierAcceptsSeveralAudiencesThenAnyMatches() {
            AccessTokenVerifier several = new AccessTokenVerifier(TestKeys.resolverOf(key), TestKeys.ISSUER,
                    Set.of("https://a.test", "https://b.test"), TestKeys.clockAt(TestKeys.NOW));

            assertThat(several.verify(withPayload(p -> p.put("aud", "https://b.test")))).isNotNull();
            assertRejected(several, withPayload(p -> p.put("aud", TestKeys.AUDIENCE)), Reason.WRONG_AUDIENCE);
        }

        @Test
        void verifyWhenUnknownExtraClaimsThenIgnored() {
            assertThat(verifier.verify(withPayload(p -> p.put("x-extra", Map.of("nested", true))))).isNotNull();
        }

        @Test
        void verifyWhenNbfInThePastThenAccepted() {
            assertThat(verifier.verify(withPayload(p -> p.put("nbf", TestKeys.NOW.getEpochSecond() - 5)))).isNotNull();
        }

        /** Rotation: the previous key's tokens verify as long as JWKS (the resolver) still publishes it. */
        @Test
        void verifyWhenSignedByRetiredKeyStillPublishedThenAcceptedAndRejectedOnceUnpublished() {
            OpenedSigningKey retired = TestKeys.opened();
            OpenedSigningKey active = TestKeys.opened();
            String oldToken = new AccessTokenIssuer(retired, TestKeys.clockAt(TestKeys.NOW), new SecureRandom())
                    .issue(TestKeys.claims().build());
            String newToken = new AccessTokenIssuer(active, TestKeys.clockAt(TestKeys.NOW), new SecureRandom())
                    .issue(TestKeys.claims().build());
            AccessTokenVerifier both = new AccessTokenVerifier(TestKeys.resolverOf(active, retired), TestKeys.ISSUER,
                    Set.of(TestKeys.AUDIENCE), TestKeys.clockAt(TestKeys.NOW));
            AccessTokenVerifier activeOnly = new AccessTokenVerifier(TestKeys.resolverOf(active), TestKeys.ISSUER,
                    Set.of(TestKeys.AUDIENCE), TestKeys.clockAt(TestKeys.NOW));

            assertThat(both.verify(oldToken).kid()).isEqualTo(retired.kid());
            assertThat(both.verify(newToken).kid()).isEqualTo(active.kid());
            assertRejected(activeOnly, oldToken, Reason.UNKNOWN_KEY);
        }

        /**
         * ECDSA is malleable: (r, n − s) verifies as well as (r, s). The claims are the same, but
         * the token string differs — so nothing may identify a token by its bytes (use jti).
         */
        @Test
        void verifyWhenSignatureMalleatedToHighSThenStillVerifies() {
            String token = issuer.issue(TestKeys.claims().build());
            byte[] signature = Jws.unb64(parts(token)[2]);
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
            byte[] malleated = signature.clone();
            System.arraycopy(P256.toFieldBytes(ORDER.subtract(s)), 0, malleated, 32, 32);
            String twin = replaceSignature(token, malleated);

            assertThat(twin).isNotEqualTo(token);
            assertThat(verifier.verify(twin).claims()).isEqualTo(verifier.verify(token).claims());
        }
    }

    @Nested
    @DisplayName("[9.1.1] algorithm: only ES256")
    class Algorithms {

        @ParameterizedTest
        @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
        void verifyWhenAlgNoneWithEmptySignatureThenRejected(String none) {
            String token = Jws.segment(Map.of("alg", none, "typ", "at+jwt", "kid", key.kid())) + "."
                    + Jws.segment(Jws.payload()) + ".";

            assertRejected(token, Reason.ALGORITHM_NOT_ALLOWED);
        }

        @Test
        void verifyWhenAlgNoneButValidEs256SignatureThenRejected() {
            assertRejected(withHeader(h -> h.put("alg", "none")), Reason.ALGORITHM_NOT_ALLOWED);
        }

        /** RFC 7515 Appendix A.5: the example Unsecured JWS, verbatim. */
        @Test
        void verifyWhenRfc7515A5UnsecuredJwsThenRejected() {
            assertRejected(KnownAnswerVectorsTest.RFC7515_A5_UNSECURED, Reason.ALGORITHM_NOT_ALLOWED);
        }

        /** Key confusion: an HMAC keyed with the bytes of our public key, in every form an attacker could get. */
        @ParameterizedTest
        @MethodSource("dev.latchkey.core.token.AccessTokenVerifierTest#publicKeyForms")
        void verifyWhenHs256KeyedWithOurPublicKeyThenRejected(String form, byte[] secret) throws Exception {
            String input = Jws.segment(Map.of("alg", "HS256", "typ", "at+jwt", "kid", key.kid())) + "."
                    + Jws.segment(Jws.payload());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String token = input + "." + Jws.b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));

            assertRejected(token, Reason.ALGORITHM_NOT_ALLOWED);
        }

        @ParameterizedTest
        @ValueSource(strings = {"HS256", "HS512", "ES384", "ES512", "RS256", "PS256", "EdDSA", "ES256K", "es256",
            "ES256 ", "", "ES256\u0000"})
        void verifyWhenAlgIsNotExactlyEs256ThenRejected(String alg) {
            assertRejected(withHeader(h -> h.put("alg", alg)), Reason.ALGORITHM_NOT_ALLOWED);
        }

        @Test
        void verifyWhenAlgMissingOrNotAStringThenRejected() {
            assertRejected(withHeader(h -> h.remove("alg")), Reason.ALGORITHM_NOT_ALLOWED);
            assertRejected(withHeader(h -> h.put("alg", List.of("ES256"))), Reason.ALGORITHM_NOT_ALLOWED);
            assertRejected(withHeader(h -> h.put("alg", 256)), Reason.ALGORITHM_NOT_ALLOWED);
        }
    }

    static Stream<Arguments> publicKeyForms() {
        ECPublicKey publicKey = key.publicKey();
        EcPublicJwk jwk = EcPublicJwk.of(publicKey);
        byte[] x = Jws.unb64(jwk.x());
        byte[] y = Jws.unb64(jwk.y());
        byte[] point = new byte[65];
        point[0] = 4;
        System.arraycopy(x, 0, point, 1, 32);
        System.arraycopy(y, 0, point, 33, 32);
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        return Stream.of(
                Arguments.of("X.509 DER", publicKey.getEncoded()),
                Arguments.of("PEM", pem.getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("uncompressed point", point),
                Arguments.of("JWK JSON", Json.write(jwk.toMap())));
    }

    @Nested
    @DisplayName("[9.1.1] header parameters")
    class HeaderParameters {

        /** RFC 8725 §3.10: a token must never bring its own key; we reject such a header outright. */
        @ParameterizedTest
        @ValueSource(strings = {"jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256"})
        void verifyWhenHeaderCarriesOrPointsToAKeyThenRejected(String parameter) {
            Object value = switch (parameter) {
                case "jwk" -> EcPublicJwk.of(key.publicKey()).toMap();
                case "x5c" -> List.of(Jws.b64(new byte[] {1, 2, 3}));
                default -> "https://attacker.example/keys";
            };

            assertRejected(withHeader(h -> h.put(parameter, value)), Reason.EMBEDDED_KEY);
        }

        /** Even an embedded JWK that is the trusted key itself: the header is not ours. */
        @Test
        void verifyWhenEmbeddedJwkOfAttackerKeyThenRejected() {
            OpenedSigningKey attacker = TestKeys.opened();
            Map<String, Object> header = Jws.header(attacker.kid());
            header.put("jwk", EcPublicJwk.of(attacker.publicKey()).toMap());

            assertRejected(Jws.sign(header, Jws.payload(), attacker.privateKey()), Reason.EMBEDDED_KEY);
        }

        @Test
        void verifyWhenCritHeaderThenRejected() {
            assertRejected(withHeader(h -> h.put("crit", List.of("exp"))), Reason.CRITICAL_HEADER);
            assertRejected(withHeader(h -> {
                h.put("b64", false);
                h.put("crit", List.of("b64"));
            }), Reason.CRITICAL_HEADER);
        }

        @ParameterizedTest
        @ValueSource(strings = {"cty", "zip", "enc", "b64", "nonce", "url", "foo"})
        void verifyWhenAnyOtherHeaderParameterThenRejected(String parameter) {
            assertRejected(withHeader(h -> h.put(parameter, "x")), Reason.UNSUPPORTED_HEADER);
        }

        @Test
        void verifyWhenHeaderHasDuplicateAlgThenRejectedWhateverTheOrder() {
            String payload = Jws.segment(Jws.payload());
            String noneLast = "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"" + key.kid() + "\",\"alg\":\"none\"}";
            String es256Last = "{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + key.kid() + "\",\"alg\":\"ES256\"}";

            assertRejected(Jws.sign(Jws.segment(noneLast), payload, key.privateKey()), Reason.MALFORMED);
            assertRejected(Jws.sign(Jws.segment(es256Last), payload, key.privateKey()), Reason.MALFORMED);
        }
    }

    @Nested
    @DisplayName("[9.1.1] kid")
    class KeyIds {

        @Test
        void verifyWhenKidMissingThenRejected() {
            assertRejected(withHeader(h -> h.remove("kid")), Reason.MISSING_KEY_ID);
        }

        @Test
        void verifyWhenKidUnknownThenRejected() {
            OpenedSigningKey stranger = TestKeys.opened();

            assertRejected(new AccessTokenIssuer(stranger, TestKeys.clockAt(TestKeys.NOW), new SecureRandom())
                    .issue(TestKeys.claims().build()), Reason.UNKNOWN_KEY);
        }

        static Stream<Object> hostileKids() {
            return Stream.of("../../../../etc/passwd", "..\\..\\windows\\win.ini", "' OR '1'='1", "x\" OR 1=1 --",
                    "kid; DROP TABLE keys", "a".repeat(129), "A".repeat(1000), "", " ", "kid with space",
                    "kid\u0000nul", "%2e%2e%2f", "/etc/passwd", "file:///etc/passwd", "https://attacker.example/k",
                    "ключ", "kid\nnewline", "a+b/c=", 42, true, List.of("kid"), Map.of("kid", "x"));
        }

        /** The resolver is asked only for 1–128 base64url characters: never for anything hostile. */
        @ParameterizedTest
        @MethodSource("hostileKids")
        void verifyWhenKidHostileThenRejectedWithoutAskingResolver(Object kid) {
            List<String> asked = new ArrayList<>();
            AccessTokenVerifier recording = new AccessTokenVerifier(k -> {
                asked.add(k);
                return Optional.of(key.publicKey());
            }, TestKeys.ISSUER, Set.of(TestKeys.AUDIENCE), TestKeys.clockAt(TestKeys.NOW));

            assertRejected(recording, withHeader(h -> h.put("kid", kid)), Reason.INVALID_KEY_ID);
            assertThat(asked).isEmpty();
        }

        @Test
        void verifyWhenKidNullThenRejectedWithoutAskingResolver() {
            List<String> asked = new ArrayList<>();
            AccessTokenVerifier recording = new AccessTokenVerifier(k -> {
                asked.add(k);
                return Optional.empty();
            }, TestKeys.ISSUER, Set.of(TestKeys.AUDIENCE), TestKeys.clockAt(TestKeys.NOW));

            assertRejected(recording, withHeader(h -> h.put("kid", null)), Reason.INVALID_KEY_ID);
            assertThat(asked).isEmpty();
        }

        @Test
        void verifyWhenKidIs128Base64UrlCharactersThenResolverAsked() {
            List<String> asked = new ArrayList<>();
            AccessTokenVerifier recording = new AccessTokenVerifier(k -> {
                asked.add(k);
                return Optional.empty();
            }, TestKeys.ISSUER, Set.of(TestKeys.AUDIENCE), TestKeys.clockAt(TestKeys.NOW));
            String longest = "a-_Z9".repeat(25) + "xyz";

            assertRejected(recording, withHeader(h -> h.put("kid", longest)), Reason.UNKNOWN_KEY);
            assertThat(asked).containsExactly(longest);
        }

        /** A token naming our kid but signed by another P-256 key. */
        @Test
        void verifyWhenOtherKeySignsWithOurKidThenBadSignature() {
            OpenedSigningKey attacker = TestKeys.opened();

            assertRejected(Jws.sign(Jws.header(key.kid()), Jws.payload(), attacker.privateKey()), Reason.BAD_SIGNATURE);
        }

        @Test
        void verifyWhenResolverReturnsNonP256KeyThenFailsLoudly() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp384r1"));
            ECPublicKey p384 = (ECPublicKey) generator.generateKeyPair().getPublic();
            AccessTokenVerifier misconfigured = new AccessTokenVerifier(k -> Optional.of(p384), TestKeys.ISSUER,
                    Set.of(TestKeys.AUDIENCE), TestKeys.clockAt(TestKeys.NOW));

            assertThatIllegalStateException().isThrownBy(() -> misconfigured.verify(issuer.issue(
                    TestKeys.claims().build())));
        }
    }

    @Nested
    @DisplayName("[9.1.2] signature")
    class Signatures {

        @Test
        void verifyWhenSignatureEmptyThenRejected() {
            String token = issuer.issue(TestKeys.claims().build());

            assertRejected(replaceSignature(token, new byte[0]), Reason.BAD_SIGNATURE);
        }

        /** CVE-2022-21449 ("psychic signatures"): r = s = 0 verified anything on unpatched JDKs 15–18. */
        @Test
        void verifyWhenRAndSAreZeroThenRejected() {
            assertRejected(replaceSignature(issuer.issue(TestKeys.claims().build()), new byte[64]),
                    Reason.BAD_SIGNATURE);
        }

        static Stream<Arguments> outOfRangeSignatures() {
            byte[] zero = new byte[32];
            byte[] one = P256.toFieldBytes(BigInteger.ONE);
            byte[] n = P256.toFieldBytes(ORDER);
            byte[] nMinusOne = P256.toFieldBytes(ORDER.subtract(BigInteger.ONE));
            byte[] ones = new byte[32];
            Arrays.fill(ones, (byte) 0xff);
            return Stream.of(
                    Arguments.of("r=0, s=1", concat(zero, one)),
                    Arguments.of("r=1, s=0", concat(one, zero)),
                    Arguments.of("r=n, s=1", concat(n, one)),
                    Arguments.of("r=1, s=n", concat(one, n)),
                    Arguments.of("r=n, s=n", concat(n, n)),
                    Arguments.of("r=n-1, s=n-1", concat(nMinusOne, nMinusOne)),
                    Arguments.of("r=s=2^256-1", concat(ones, ones)),
                    Arguments.of("r=1, s=1", concat(one, one)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("outOfRangeSignatures")
        void verifyWhenSignatureIsSpecialValueThenRejected(String name, byte[] signature) {
            assertRejected(replaceSignature(issuer.issue(TestKeys.claims().build()), signature), Reason.BAD_SIGNATURE);
        }

        /** RFC 7518 §3.4: JWS carries r‖s; the ASN.1 DER form of a genuine signature must not verify. */
        @Test
        void verifyWhenGenuineSignatureIsDerEncodedThenRejected() {
            String input = Jws.segment(Jws.header(key.kid())) + "." + Jws.segment(Jws.payload());
            byte[] der = Jws.es256Der(input, key.privateKey());

            assertThat(der[0]).isEqualTo((byte) 0x30);
            assertRejected(input + "." + Jws.b64(der), Reason.BAD_SIGNATURE);
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 32, 63, 65, 66, 72, 96, 128})
        void verifyWhenSignatureLengthIsNot64ThenRejected(int length) {
            String token = issuer.issue(TestKeys.claims().build());
            byte[] genuine = Jws.unb64(parts(token)[2]);

            assertRejected(replaceSignature(token, Arrays.copyOf(genuine, length)), Reason.BAD_SIGNATURE);
        }

        @Test
        void verifyWhenSignatureLeftPaddedToSixtyFiveBytesThenRejected() {
            String token = issuer.issue(TestKeys.claims().build());
            byte[] padded = concat(new byte[1], Jws.unb64(parts(token)[2]));

            assertRejected(replaceSignature(token, padded), Reason.BAD_SIGNATURE);
        }

        @Test
        void verifyWhenAnyBitOfTheSignatureFlippedThenRejected() {
            String token = issuer.issue(TestKeys.claims().build());
            byte[] genuine = Jws.unb64(parts(token)[2]);
            for (int bit = 0; bit < 512; bit += 7) {
                byte[] flipped = genuine.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));

                assertRejected(replaceSignature(token, flipped), Reason.BAD_SIGNATURE);
            }
        }

        @Test
        void verifyWhenPayloadChangedAfterSigningThenRejected() {
            String token = issuer.issue(TestKeys.claims().build());
            Map<String, Object> forged = Jws.payload();
            forged.put("sub", "usr_ADMIN");
            String[] parts = parts(token);

            assertRejected(parts[0] + "." + Jws.segment(forged) + "." + parts[2], Reason.BAD_SIGNATURE);
        }

        @Test
        void verifyWhenSignatureOfAnotherTokenThenRejected() {
            String a = issuer.issue(TestKeys.claims().subject("usr_a").build());
            String b = issuer.issue(TestKeys.claims().subject("usr_b").build());

            assertRejected(replaceSignature(a, Jws.unb64(parts(b)[2])), Reason.BAD_SIGNATURE);
        }

        /** The signature is checked before the claims: an expired forgery is a bad signature. */
        @Test
        void verifyWhenBadSignatureAndExpiredThenBadSignature() {
            String token = withPayload(p -> p.put("exp", TestKeys.NOW.getEpochSecond() - 3600));

            assertRejected(replaceSignature(token, new byte[64]), Reason.BAD_SIGNATURE);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Nested
    @DisplayName("[9.1.3] structure and encoding")
    class Structure {

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 2})
        void verifyWhenSegmentHasPaddingThenRejected(int segment) {
            String[] parts = parts(issuer.issue(TestKeys.claims().build()));
            parts[segment] = parts[segment] + "=";

            assertRejected(String.join(".", parts), Reason.MALFORMED);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 2})
        void verifyWhenSegmentUsesStandardBase64AlphabetThenRejected(int segment) {
            String[] parts = parts(issuer.issue(TestKeys.claims().build()));
            parts[segment] = "+/" + parts[segment].substring(2);

            assertRejected(String.join(".", parts), Reason.MALFORMED);
        }

        @ParameterizedTest
        @ValueSource(strings = {" ", "\n", "\t", "*", "%", "é", "\u0000"})
        void verifyWhenForeignCharacterInsideSignatureThenRejected(String character) {
            String token = issuer.issue(TestKeys.claims().build());

            assertRejected(token.substring(0, token.length() - 10) + character + token.substring(token.length() - 10),
                    Reason.MALFORMED);
        }

        @Test
        void verifyWhenWhitespaceAroundTokenThenRejected() {
            String token = issuer.issue(TestKeys.claims().build());

            assertRejected(" " + token, Reason.MALFORMED);
            assertRejected(token + "\n", Reason.MALFORMED);
        }

        /** 86 characters carry 516 bits for 512: the last character's 4 spare bits must be zero. */
        @Test
        void verifyWhenSignatureSpelledNonCanonicallyThenRejected() {
            String token = issuer.issue(TestKeys.claims().build());
            String signature = parts(token)[2];
            char last = signature.charAt(85);
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            char sibling = alphabet.charAt(alphabet.indexOf(last) | 1);
            String twin = token.substring(0, token.length() - 1) + sibling;

            assertThat(Jws.unb64(parts(twin)[2])).isEqualTo(Jws.unb64(signature));
            assertRejected(twin, Reason.MALFORMED);
        }

        /** No base64 string has a length of 4k + 1. */
        @Test
        void verifyWhenSegmentLengthImpossibleThenRejected() {
            String[] parts = parts(issuer.issue(TestKeys.claims().build()));
            StringBuilder header = new StringBuilder(parts[0]);
            while (header.length() % 4 != 1) {
                header.append('A');
            }

            assertRejected(header + "." + parts[1] + "." + parts[2], Reason.MALFORMED);
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "a.b", "a.b.c.d", "a.b.c.d.e", "..", "...", "....", ".", ""})
        void verifyWhenNotThreeSegmentsThenRejected(String shape) {
            assertRejected(shape, Reason.MALFORMED);
        }

        @Test
        void verifyWhenTwoOrFourSegmentsOfARealTokenThenRejected() {
            String token = issuer.issue(TestKeys.claims().build());
            String[] parts = parts(token);

            assertRejected(parts[0] + "." + parts[1], Reason.MALFORMED);
            assertRejected(token + ".", Reason.MALFORMED);
            assertRejected(token + "." + parts[2], Reason.MALFORMED);
            assertRejected(parts[0] + "." + token, Reason.MALFORMED);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"foo\"", "42", "null", "true", "", "{", "{\"a\":1}x", "{\"a\":1} {}",
            "{'sub':'x'}", "{\"sub\":\"a\",}"})
        void verifyWhenPayloadIsNotOneJsonObjectThenRejected(String json) {
            assertRejected(Jws.sign(Jws.segment(Jws.header(key.kid())), Jws.segment(json), key.privateKey()),
                    Reason.MALFORMED);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"ES256\"", "null", ""})
        void verifyWhenHeaderIsNotAJsonObjectThenRejected(String json) {
            assertRejected(Jws.sign(Jws.segment(json), Jws.segment(Jws.payload()), key.privateKey()),
                    Reason.MALFORMED);
        }

        /** RFC 7519 §4: duplicate claim names — parsers disagree on which wins, so reject. */
        @Test
        void verifyWhenPayloadHasDuplicateClaimThenRejected() {
            String payload = new String(Json.write(Jws.payload()), StandardCharsets.UTF_8);
            String duplicated = payload.substring(0, payload.length() - 1) + ",\"sub\":\"usr_ADMIN\"}";

            assertRejected(Jws.sign(Jws.segment(Jws.header(key.kid())), Jws.segment(duplicated), key.privateKey()),
                    Reason.MALFORMED);
        }

        @Test
        void verifyWhenPayloadIsNotUtf8ThenRejected() {
            byte[] latin1 = "{\"sub\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

            assertRejected(Jws.sign(Jws.segment(Jws.header(key.kid())), Jws.b64(latin1), key.privateKey()),
                    Reason.MALFORMED);
        }

        @Test
        void verifyWhenNestedTooDeeplyThenRejected() {
            String deep = "{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
            Map<String, Object> payload = Jws.payload();
            String json = new String(Json.write(payload), StandardCharsets.UTF_8);
            String nested = json.substring(0, json.length() - 1) + ",\"deep\":" + deep + "}";

            assertRejected(Jws.sign(Jws.segment(Jws.header(key.kid())), Jws.segment(nested), key.privateKey()),
                    Reason.MALFORMED);
        }

        @Test
        void verifyWhenTokenLongerThanLimitThenRejectedBeforeParsing() {
            String token = withPayload(p -> p.put("pad", "x".repeat(AccessTokenVerifier.MAX_TOKEN_LENGTH)));

            assertThat(token.length()).isGreaterThan(AccessTokenVerifier.MAX_TOKEN_LENGTH);
            assertRejected(token, Reason.MALFORMED);
        }

        @Test
        void verifyWhenNullOrEmptyThenRejected() {
            assertRejected(null, Reason.MALFORMED);
            assertRejected("", Reason.MALFORMED);
        }
    }

    @Nested
    @DisplayName("[9.2.1] typ: only access tokens")
    class Types {

        @Test
        void verifyWhenTypMissingThenRejected() {
            assertRejected(withHeader(h -> h.remove("typ")), Reason.WRONG_TYPE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"lkr+jwt", "at+jwt ", " at+jwt", "JWT ", "at+JWS", "secevent+jwt", "dpop+jwt",
            "JOSE", "JOSE+JSON", "application/at+jwt; charset=utf-8", "application/jwt; charset=utf-8", "at%2Bjwt",
            "client-authentication+jwt", "logout+jwt", "id_token+jwt", "jwt+jwt", "token-introspection+jwt", ""})
        void verifyWhenTypIsAnotherTypeThenRejected(String typ) {
            assertRejected(withHeader(h -> h.put("typ", typ)), Reason.WRONG_TYPE);
        }

        @Test
        void verifyWhenTypNotAStringThenRejected() {
            assertRejected(withHeader(h -> h.put("typ", List.of("at+jwt"))), Reason.WRONG_TYPE);
        }

        /** A refresh token (opaque, lkr_…) or an API key (lk_…) presented as a bearer access token. */
        @ParameterizedTest
        @ValueSource(strings = {
            "lkr_3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "lk_key_01JXAMPLE_3q2-7wAAAAAAAAAAAAAAAAAAAAAA_c0ffee",
            "lk_live.abc.def",
            "Bearer x.y.z"})
        void verifyWhenRefreshTokenOrApiKeyPresentedThenRejected(String credential) {
            assertRejected(credential, Reason.MALFORMED);
        }

        /**
         * typ JWT is accepted (Latchkey's default type), so an ID token signed by the very same key (a later issue
         * makes Latchkey an OpenID Provider) is told apart by its ID-token-only claims, whatever its typ.
         */
        @ParameterizedTest
        @ValueSource(strings = {"nonce", "at_hash", "c_hash", "s_hash"})
        void verifyWhenSameKeySignsAnIdTokenShapedJwtThenRejected(String claim) {
            assertRejected(token(h -> h.put("typ", "JWT"), p -> p.put(claim, "x")), Reason.WRONG_TYPE);
            assertRejected(token(h -> { }, p -> p.put(claim, "x")), Reason.WRONG_TYPE);
        }
    }

    @Nested
    @DisplayName("[9.2.2] time: exp, nbf, iat with a 30 s leeway")
    class Times {

        private final long now = TestKeys.NOW.getEpochSecond();

        @Test
        void verifyWhenExpiredBeyondLeewayThenRejected() {
            assertRejected(withPayload(p -> p.put("exp", now - 3600)), Reason.EXPIRED);
            assertRejected(withPayload(p -> p.put("exp", now - 31)), Reason.EXPIRED);
        }

        @Test
        void verifyWhenExpiryWithinLeewayThenAcceptedAndAtLeewayRejected() {
            assertThat(verifier.verify(withPayload(p -> {
                p.put("iat", now - 100);
                p.put("exp", now - 29);
            }))).isNotNull();
            assertRejected(withPayload(p -> {
                p.put("iat", now - 100);
                p.put("exp", now - 30);
            }), Reason.EXPIRED);
        }

        @Test
        void verifyWhenClockPassesExpiryThenSameTokenRejected() {
            String token = issuer.issue(TestKeys.claims().build());
            Instant exp = TestKeys.NOW.plusSeconds(900);

            assertThat(verifierAt(exp.plusSeconds(29)).verify(token)).isNotNull();
            assertRejected(verifierAt(exp.plusSeconds(30)), token, Reason.EXPIRED);
            assertRejected(verifierAt(exp.plus(Duration.ofDays(1))), token, Reason.EXPIRED);
        }

        @Test
        void verifyWhenExpMissingThenRejected() {
            assertRejected(withPayload(p -> p.remove("exp")), Reason.MISSING_CLAIM);
        }

        @Test
        void verifyWhenNbfInTheFutureBeyondLeewayThenRejected() {
            assertRejected(withPayload(p -> p.put("nbf", now + 31)), Reason.NOT_YET_VALID);
            assertRejected(withPayload(p -> p.put("nbf", now + 600)), Reason.NOT_YET_VALID);
            assertThat(verifier.verify(withPayload(p -> p.put("nbf", now + 30)))).isNotNull();
        }

        @Test
        void verifyWhenIatInTheFutureBeyondLeewayThenRejected() {
            assertRejected(withPayload(p -> p.put("iat", now + 31)), Reason.ISSUED_IN_FUTURE);
            assertRejected(withPayload(p -> p.put("iat", now + 600)), Reason.ISSUED_IN_FUTURE);
            assertThat(verifier.verify(withPayload(p -> p.put("iat", now + 30)))).isNotNull();
        }

        @Test
        void verifyWhenIatMissingThenRejected() {
            assertRejected(withPayload(p -> p.remove("iat")), Reason.MISSING_CLAIM);
        }

        @Test
        void verifyWhenZeroLeewayThenExpiryExact() {
            AccessTokenVerifier strict = new AccessTokenVerifier(TestKeys.resolverOf(key), TestKeys.ISSUER,
                    Set.of(TestKeys.AUDIENCE), TestKeys.clockAt(TestKeys.NOW), Duration.ZERO);

            assertThat(strict.verify(withPayload(p -> p.put("exp", now + 1)))).isNotNull();
            assertRejected(strict, withPayload(p -> p.put("exp", now)), Reason.EXPIRED);
            assertRejected(strict, withPayload(p -> p.put("iat", now + 1)), Reason.ISSUED_IN_FUTURE);
        }

        static Stream<Object> badNumericDates() {
            return Stream.of("1748779200", 1.7487792E9, 1748779200.5, -1, 253_402_300_800L,
                    new BigInteger("99999999999999999999999"), true, List.of(1748779200), Map.of());
        }

        @ParameterizedTest
        @MethodSource("badNumericDates")
        void verifyWhenDateClaimNotAnIntegerNumericDateThenRejected(Object value) {
            for (String claim : List.of("exp", "iat", "nbf", "auth_time")) {
                assertRejected(withPayload(p -> p.put(claim, value)), Reason.INVALID_CLAIM);
            }
        }

        @Test
        void verifyWhenDateClaimNullThenRejected() {
            assertRejected(withPayload(p -> p.put("exp", null)), Reason.INVALID_CLAIM);
        }

        @Test
        void verifyWhenExpNotAfterIatThenRejected() {
            assertRejected(withPayload(p -> p.put("exp", now)), Reason.INVALID_CLAIM);
        }
    }

    @Nested
    @DisplayName("[9.2.3] iss, aud and the other claims")
    class Claims {

        @ParameterizedTest
        @ValueSource(strings = {"https://attacker.example", "https://id.latchkey.test/", "HTTPS://ID.LATCHKEY.TEST",
            "https://id.latchkey.test.attacker.example", " https://id.latchkey.test", ""})
        void verifyWhenIssuerIsNotOursThenRejected(String iss) {
            assertRejected(withPayload(p -> p.put("iss", iss)), Reason.WRONG_ISSUER);
        }

        @Test
        void verifyWhenIssuerMissingOrNotAStringThenRejected() {
            assertRejected(withPayload(p -> p.remove("iss")), Reason.MISSING_CLAIM);
            assertRejected(withPayload(p -> p.put("iss", List.of(TestKeys.ISSUER))), Reason.INVALID_CLAIM);
        }

        @Test
        void verifyWhenAudienceIsNotOursThenRejected() {
            assertRejected(withPayload(p -> p.put("aud", "https://other-api.example")), Reason.WRONG_AUDIENCE);
            assertRejected(withPayload(p -> p.put("aud", List.of("a", "b"))), Reason.WRONG_AUDIENCE);
            assertRejected(withPayload(p -> p.put("aud", TestKeys.AUDIENCE.toUpperCase())), Reason.WRONG_AUDIENCE);
        }

        @Test
        void verifyWhenAudienceMissingThenRejected() {
            assertRejected(withPayload(p -> p.remove("aud")), Reason.MISSING_CLAIM);
        }

        @Test
        void verifyWhenAudienceMalformedThenRejected() {
            assertRejected(withPayload(p -> p.put("aud", List.of())), Reason.INVALID_CLAIM);
            assertRejected(withPayload(p -> p.put("aud", 7)), Reason.INVALID_CLAIM);
            assertRejected(withPayload(p -> p.put("aud", List.of(TestKeys.AUDIENCE, 7))), Reason.INVALID_CLAIM);
            assertRejected(withPayload(p -> p.put("aud", Map.of("aud", TestKeys.AUDIENCE))), Reason.INVALID_CLAIM);
        }

        @ParameterizedTest
        @ValueSource(strings = {"sub", "jti"})
        void verifyWhenRequiredClaimMissingThenRejected(String claim) {
            assertRejected(withPayload(p -> p.remove(claim)), Reason.MISSING_CLAIM);
        }

        @ParameterizedTest
        @ValueSource(strings = {"sub", "jti", "scope", "client_id", "org", "sid"})
        void verifyWhenStringClaimHasAnotherTypeThenRejected(String claim) {
            assertRejected(withPayload(p -> p.put(claim, 12)), Reason.INVALID_CLAIM);
            assertRejected(withPayload(p -> p.put(claim, List.of("x"))), Reason.INVALID_CLAIM);
        }

        @ParameterizedTest
        @ValueSource(strings = {"sub", "jti", "client_id", "org", "sid"})
        void verifyWhenStringClaimBlankThenRejected(String claim) {
            assertRejected(withPayload(p -> p.put(claim, " ")), Reason.INVALID_CLAIM);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "a  b", " a", "a ", "a\tb", "a\"b"})
        void verifyWhenScopeNotSpaceSeparatedScopeTokensThenRejected(String scope) {
            assertRejected(withPayload(p -> p.put("scope", scope)), Reason.INVALID_CLAIM);
        }

        @Test
        void verifyWhenAmrMalformedThenRejected() {
            assertRejected(withPayload(p -> p.put("amr", "pwd")), Reason.INVALID_CLAIM);
            assertRejected(withPayload(p -> p.put("amr", List.of())), Reason.INVALID_CLAIM);
            assertRejected(withPayload(p -> p.put("amr", List.of("pwd", 1))), Reason.INVALID_CLAIM);
        }
    }

    @Nested
    @DisplayName("the exception and the constructor")
    class Contract {

        @Test
        void invalidTokenExceptionWhenThrownThenBearerChallengeAndNoTokenInside() {
            String token = withPayload(p -> p.put("exp", TestKeys.NOW.getEpochSecond() - 3600));

            InvalidTokenException e = rejection(verifier, token);

            assertThat(e.code().status()).isEqualTo(401);
            assertThat(e.headers()).containsExactly(Map.entry("www-authenticate", "Bearer error=\"invalid_token\""));
            assertThat(e.toString()).doesNotContain(token).doesNotContain(key.kid());
            assertThat(e.getMessage()).doesNotContain(parts(token)[1]);
        }

        @Test
        void constructorWhenLeewayOutOfRangeThenRejected() {
            PublicKeyResolver keys = TestKeys.resolverOf(key);
            Clock clock = TestKeys.clockAt(TestKeys.NOW);
            Set<String> audience = Set.of(TestKeys.AUDIENCE);

            assertThatIllegalArgumentException().isThrownBy(() -> new AccessTokenVerifier(keys, TestKeys.ISSUER,
                    audience, clock, Duration.ofSeconds(-1)));
            assertThatIllegalArgumentException().isThrownBy(() -> new AccessTokenVerifier(keys, TestKeys.ISSUER,
                    audience, clock, Duration.ofMinutes(5).plusSeconds(1)));
            assertThatIllegalArgumentException().isThrownBy(() -> new AccessTokenVerifier(keys, TestKeys.ISSUER,
                    audience, clock, Duration.ofMillis(1500)));
            assertThat(new AccessTokenVerifier(keys, TestKeys.ISSUER, audience, clock, Duration.ofMinutes(5)))
                    .isNotNull();
        }

        @Test
        void constructorWhenIssuerOrAudiencesBlankThenRejected() {
            PublicKeyResolver keys = TestKeys.resolverOf(key);
            Clock clock = TestKeys.clockAt(TestKeys.NOW);

            assertThatIllegalArgumentException().isThrownBy(() -> new AccessTokenVerifier(keys, " ",
                    Set.of(TestKeys.AUDIENCE), clock));
            assertThatIllegalArgumentException().isThrownBy(() -> new AccessTokenVerifier(keys, TestKeys.ISSUER,
                    Set.of(), clock));
            assertThatIllegalArgumentException().isThrownBy(() -> new AccessTokenVerifier(keys, TestKeys.ISSUER,
                    Set.of(""), clock));
        }

        @Test
        void defaultLeewayIsThirtySeconds() {
            assertThat(AccessTokenVerifier.DEFAULT_LEEWAY).isEqualTo(Duration.ofSeconds(30));
        }
    }
}
