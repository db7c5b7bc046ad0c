package dev.latchkey.core.passkey;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.util.exception.WebAuthnException;
import com.webauthn4j.verifier.exception.BadAlgorithmException;
import com.webauthn4j.verifier.exception.BadBackupEligibleFlagException;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.BadTopOriginException;
import com.webauthn4j.verifier.exception.CrossOriginException;
import com.webauthn4j.verifier.exception.InconsistentClientDataTypeException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.MissingChallengeException;
import com.webauthn4j.verifier.exception.NotAllowedAlgorithmException;
import com.webauthn4j.verifier.exception.NotAllowedCredentialIdException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import dev.latchkey.core.http.Json;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The WebAuthn checks, done by webauthn4j ({@link WebAuthnManager#createNonStrictWebAuthnManager()}: attestation
 * statements are checked for form but no trust path is required, which is what attestation {@code none} means),
 * around Latchkey's own parsing of the response JSON.
 *
 * <p>The response is read first by Latchkey (strict JSON, no duplicate keys): {@code type} must be
 * {@code public-key}, {@code rawId} must equal {@code id}, the response members must be base64url. Only the members
 * a ceremony uses are passed on to webauthn4j, so the extra members browsers add ({@code authenticatorData},
 * {@code publicKey} and {@code publicKeyAlgorithm} in a registration's {@code toJSON()}) and any client extension
 * output are ignored.
 *
 * <p>webauthn4j then runs the spec's steps: client data {@code type} (L3 §7.1 step 7, §7.2 step 11),
 * {@code challenge} (steps 8/12), {@code origin} against the policy's list (9/13), {@code crossOrigin} refused
 * unless a top origin is allowed — none is (§7.1 step 10, §7.2 step 14), {@code rpIdHash} (13/15), UP and UV flags
 * (14–15/16–17), BE/BS consistency, the algorithm against {@code pubKeyCredParams} (§7.1 step 20), the attestation
 * statement's form (step 21), the assertion signature (§7.2 step 21) and the signature counter (step 22: a counter
 * that is not greater than the stored one when either is nonzero is refused). Each failure becomes a
 * {@link Failure} with a reason code.
 */
final class WebAuthnCeremonies {

    /** ES256, EdDSA, RS256, in this order of preference (the options' {@code pubKeyCredParams}). */
    static final List<Integer> ALGORITHMS = List.of(-7, -8, -257);

    private static final ObjectConverter CONVERTER = new ObjectConverter();
    private static final WebAuthnManager MANAGER = WebAuthnManager.createNonStrictWebAuthnManager(CONVERTER);
    private static final List<PublicKeyCredentialParameters> PUBLIC_KEY_PARAMETERS = ALGORITHMS.stream()
            .map(alg -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY,
                    COSEAlgorithmIdentifier.create(alg)))
            .toList();
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+={0,2}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Longest credential id accepted (WebAuthn L3 §7.1 step 24: at most 1023 bytes). */
    static final int MAX_CREDENTIAL_ID_BYTES = 1023;

    private WebAuthnCeremonies() {
    }

    /** A failed check, with the audit reason code (lower snake case). */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String reason;

        Failure(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /**
     * A response read by Latchkey: the credential id and the JSON webauthn4j gets.
     *
     * @param credentialId base64url without padding
     * @param userHandle an assertion's {@code userHandle}, base64url without padding, when present
     * @param json the response reduced to the members the ceremony uses
     * @param clientDataJson the response's {@code clientDataJSON}, base64url
     */
    record Response(String credentialId, Optional<String> userHandle, String json, String clientDataJson) {
    }

    /** What a verified registration gives. */
    record Registered(String credentialId, String publicKey, int algorithm, long signCount, boolean userVerified,
            boolean backupEligible, boolean backedUp, List<String> transports, String aaguid) {
    }

    /** What a verified assertion gives. */
    record Asserted(long signCount, boolean userVerified, boolean backedUp) {
    }

    /**
     * Reads a {@code RegistrationResponseJSON} (L3 §5.1 {@code toJSON()}).
     *
     * @throws PasskeyException 400 {@code VALIDATION_ERROR} (field {@code credential}) when it is not one
     */
    static Response readRegistration(String json) {
        JsonNode root = parse(json);
        JsonNode response = root.get("response");
        Map<String, Object> reduced = new LinkedHashMap<>();
        reduced.put("clientDataJSON", binary(response, "clientDataJSON"));
        reduced.put("attestationObject", binary(response, "attestationObject"));
        JsonNode transports = response.get("transports");
        if (transports != null && !transports.isNull()) {
            if (!transports.isArray()) {
                throw malformed();
            }
            List<String> values = new ArrayList<>();
            for (JsonNode transport : transports) {
                if (!transport.isString() || transport.asString().length() > 32) {
                    throw malformed();
                }
                values.add(transport.asString());
            }
            reduced.put("transports", values);
        }
        String credentialId = credentialId(root);
        return new Response(credentialId, Optional.empty(), envelope(credentialId, reduced),
                (String) reduced.get("clientDataJSON"));
    }

    /**
     * Reads an {@code AuthenticationResponseJSON} (L3 §5.1 {@code toJSON()}).
     *
     * @throws PasskeyException 400 {@code VALIDATION_ERROR} (field {@code credential}) when it is not one
     */
    static Response readAuthentication(String json) {
        JsonNode root = parse(json);
        JsonNode response = root.get("response");
        Map<String, Object> reduced = new LinkedHashMap<>();
        reduced.put("clientDataJSON", binary(response, "clientDataJSON"));
        reduced.put("authenticatorData", binary(response, "authenticatorData"));
        reduced.put("signature", binary(response, "signature"));
        Optional<String> userHandle = Optional.empty();
        JsonNode handle = response.get("userHandle");
        if (handle != null && !handle.isNull()) {
            String value = binary(response, "userHandle");
            reduced.put("userHandle", value);
            userHandle = Optional.of(canonical(value));
        }
        String credentialId = credentialId(root);
        return new Response(credentialId, userHandle, envelope(credentialId, reduced),
                (String) reduced.get("clientDataJSON"));
    }

    /**
     * Verifies a registration response (WebAuthn L3 §7.1).
     *
     * @throws Failure naming the failed check
     */
    static Registered verifyRegistration(PasskeyPolicy policy, PasskeyChallenge challenge, Response response) {
        checkClientData(policy, response);
        RegistrationData data;
        try {
            data = MANAGER.verifyRegistrationResponseJSON(response.json(), new RegistrationParameters(
                    serverProperty(policy, challenge), PUBLIC_KEY_PARAMETERS, policy.userVerificationRequired(),
                    true));
        } catch (RuntimeException e) {
            throw failure(e);
        }
        AuthenticatorData<?> authenticatorData = data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData attested = authenticatorData.getAttestedCredentialData();
        if (attested == null) {
            throw new Failure("invalid_response");
        }
        String credentialId = ENCODER.encodeToString(attested.getCredentialId());
        if (!credentialId.equals(response.credentialId())) {
            throw new Failure("credential_id_mismatch");
        }
        if (attested.getCredentialId().length > MAX_CREDENTIAL_ID_BYTES) {
            throw new Failure("credential_id_too_long");
        }
        COSEKey key = attested.getCOSEKey();
        if (key == null || key.getAlgorithm() == null || !ALGORITHMS.contains((int) key.getAlgorithm().getValue())) {
            throw new Failure("algorithm_not_allowed");
        }
        CoseKeyCheck.problem(key).ifPresent(problem -> {
            throw new Failure(problem);
        });
        Set<String> transports = new LinkedHashSet<>();
        if (data.getTransports() != null) {
            data.getTransports().forEach(transport -> transports.add(transport.getValue()));
        }
        AAGUID aaguid = attested.getAaguid() == null ? AAGUID.ZERO : attested.getAaguid();
        return new Registered(credentialId, ENCODER.encodeToString(CONVERTER.getCborConverter().writeValueAsBytes(key)),
                (int) key.getAlgorithm().getValue(), authenticatorData.getSignCount(), authenticatorData.isFlagUV(),
                authenticatorData.isFlagBE(), authenticatorData.isFlagBS(), List.copyOf(transports),
                aaguid.getValue().toString());
    }

    /**
     * Verifies an assertion (WebAuthn L3 §7.2) against a stored passkey. Whether the credential may answer this
     * challenge at all (§7.2 steps 5–6: the user an email named, the user handle) is the caller's check.
     *
     * @throws Failure naming the failed check
     */
    static Asserted verifyAuthentication(PasskeyPolicy policy, PasskeyChallenge challenge, Response response,
            Passkey passkey) {
        checkClientData(policy, response);
        AuthenticationData data;
        try {
            COSEKey key = CONVERTER.getCborConverter().readValue(DECODER.decode(passkey.publicKey()), COSEKey.class);
            // A key stored before keys were checked against their algorithm (a 512-bit RSA key) logs in no more.
            Optional<String> weak = CoseKeyCheck.problem(key);
            if (weak.isPresent()) {
                throw new Failure(weak.get());
            }
            Set<AuthenticatorTransport> transports = new LinkedHashSet<>();
            passkey.transports().forEach(transport -> transports.add(AuthenticatorTransport.create(transport)));
            CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(),
                    passkey.uvInitialized(), passkey.backupEligible(), passkey.backedUp(), passkey.signCount(),
                    new AttestedCredentialData(new AAGUID(passkey.aaguid()), DECODER.decode(passkey.credentialId()),
                            key),
                    null, null, null, transports);
            data = MANAGER.verifyAuthenticationResponseJSON(response.json(), new AuthenticationParameters(
                    serverProperty(policy, challenge), record, null, policy.userVerificationRequired(), true));
        } catch (RuntimeException e) {
            throw failure(e);
        }
        AuthenticatorData<?> authenticatorData = data.getAuthenticatorData();
        return new Asserted(authenticatorData.getSignCount(), authenticatorData.isFlagUV(),
                authenticatorData.isFlagBS());
    }

    /**
     * A passkey no one holds: a fresh P-256 key (its private half is dropped at once) under a random credential id,
     * owned by {@link PasskeyChallenge#UNKNOWN_USER}. A login under an unknown credential id is verified against it,
     * so it costs the same as one under a real id and fails the same way (issue 20 §2: no timing oracle).
     */
    static Passkey dummyPasskey(java.security.SecureRandom random) {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"), random);
            COSEKey key = com.webauthn4j.data.attestation.authenticator.EC2COSEKey.create(
                    (java.security.interfaces.ECPublicKey) generator.generateKeyPair().getPublic(),
                    COSEAlgorithmIdentifier.ES256);
            byte[] id = new byte[32];
            random.nextBytes(id);
            byte[] handle = new byte[StartPasskeyRegistration.USER_HANDLE_BYTES];
            random.nextBytes(handle);
            return new Passkey("pk_00000000000000000000000000", PasskeyChallenge.UNKNOWN_USER,
                    ENCODER.encodeToString(id), ENCODER.encodeToString(handle),
                    ENCODER.encodeToString(CONVERTER.getCborConverter().writeValueAsBytes(key)), -7, 0, true, true,
                    true, List.of("internal", "hybrid"), AAGUID.ZERO.getValue().toString(), "dummy",
                    java.time.Instant.EPOCH, Optional.empty());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("P-256 unavailable", e);
        }
    }

    /** The audit reason for a webauthn4j failure (the exception's type; never its message). */
    static Failure failure(RuntimeException e) {
        if (e instanceof Failure failure) {
            return failure;
        }
        if (e instanceof InconsistentClientDataTypeException) {
            return new Failure("type_mismatch");
        }
        if (e instanceof BadChallengeException || e instanceof MissingChallengeException) {
            return new Failure("challenge_mismatch");
        }
        if (e instanceof BadOriginException) {
            return new Failure("origin_mismatch");
        }
        if (e instanceof CrossOriginException || e instanceof BadTopOriginException) {
            return new Failure("cross_origin");
        }
        if (e instanceof BadRpIdException) {
            return new Failure("rp_id_mismatch");
        }
        if (e instanceof UserNotVerifiedException) {
            return new Failure("user_not_verified");
        }
        if (e instanceof UserNotPresentException) {
            return new Failure("user_not_present");
        }
        if (e instanceof MaliciousCounterValueException) {
            return new Failure("counter_regression");
        }
        if (e instanceof BadSignatureException) {
            return new Failure("bad_signature");
        }
        if (e instanceof NotAllowedAlgorithmException || e instanceof BadAlgorithmException) {
            return new Failure("algorithm_not_allowed");
        }
        if (e instanceof NotAllowedCredentialIdException) {
            return new Failure("credential_not_allowed");
        }
        if (e instanceof BadBackupEligibleFlagException) {
            return new Failure("backup_eligibility_changed");
        }
        if (e instanceof DataConversionException || e instanceof JacksonException
                || e instanceof IllegalArgumentException) {
            return new Failure("invalid_response");
        }
        if (e instanceof WebAuthnException) {
            return new Failure("verification_failed");
        }
        throw e;
    }

    /**
     * Latchkey's own reading of {@code clientDataJSON} before webauthn4j's (L3 §7.1 steps 5–9, §7.2 steps 9–13):
     * strict JSON — a member that appears twice is refused ({@code client_data_duplicate_member}) rather than
     * letting the last one win — and the {@code origin} member compared <b>exactly</b>, as the serialized origin
     * string, to the configured origins (§7.1 step 9: "verify that the value of C.origin is an origin expected by
     * the Relying Party"; the client serializes it per HTML's "ASCII serialization of an origin"). So userinfo,
     * paths, queries, fragments, upper case, default or zero-padded ports all fail ({@code origin_mismatch}),
     * although a URL parser would call some of them the same origin.
     *
     * @throws Failure for a duplicate member, malformed client data, or an origin that is not exactly allowed
     */
    static void checkClientData(PasskeyPolicy policy, Response response) {
        JsonNode clientData;
        try {
            clientData = Json.mapper().readTree(DECODER.decode(response.clientDataJson()));
        } catch (JacksonException e) {
            String message = String.valueOf(e.getOriginalMessage());
            throw new Failure(message.startsWith("Duplicate") ? "client_data_duplicate_member"
                    : "invalid_response");
        } catch (IllegalArgumentException e) {
            throw new Failure("invalid_response");
        }
        if (clientData == null || !clientData.isObject()) {
            throw new Failure("invalid_response");
        }
        JsonNode origin = clientData.get("origin");
        if (origin == null || !origin.isString() || !policy.allowedOrigins().contains(origin.asString())) {
            throw new Failure("origin_mismatch");
        }
    }

    private static ServerProperty serverProperty(PasskeyPolicy policy, PasskeyChallenge challenge) {
        Set<Origin> origins = new LinkedHashSet<>();
        policy.allowedOrigins().forEach(origin -> origins.add(new Origin(origin)));
        return ServerProperty.builder()
                .origins(origins)
                .rpId(policy.rpId())
                .challenge(new DefaultChallenge(DECODER.decode(challenge.challenge())))
                .build();
    }

    private static JsonNode parse(String json) {
        if (json == null || json.isEmpty() || json.length() > 64 * 1024) {
            throw malformed();
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JacksonException e) {
            throw malformed();
        }
        if (root == null || !root.isObject() || !root.path("type").isString()
                || !"public-key".equals(root.path("type").asString()) || !root.path("response").isObject()) {
            throw malformed();
        }
        return root;
    }

    private static String credentialId(JsonNode root) {
        JsonNode id = root.get("id");
        if (id == null || !id.isString() || !BASE64URL.matcher(id.asString()).matches()) {
            throw malformed();
        }
        String canonical = canonical(id.asString());
        JsonNode rawId = root.get("rawId");
        if (rawId != null && !rawId.isNull()) {
            if (!rawId.isString() || !BASE64URL.matcher(rawId.asString()).matches()
                    || !canonical(rawId.asString()).equals(canonical)) {
                throw malformed();
            }
        }
        int bytes = DECODER.decode(canonical).length;
        if (bytes == 0 || bytes > MAX_CREDENTIAL_ID_BYTES) {
            throw malformed();
        }
        return canonical;
    }

    private static String binary(JsonNode parent, String name) {
        JsonNode value = parent.get(name);
        if (value == null || !value.isString() || !BASE64URL.matcher(value.asString()).matches()) {
            throw malformed();
        }
        try {
            DECODER.decode(value.asString());
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        return value.asString();
    }

    /** base64url without padding; accepts a padded value. */
    private static String canonical(String base64url) {
        try {
            return ENCODER.encodeToString(DECODER.decode(base64url));
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static String envelope(String credentialId, Map<String, Object> response) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", credentialId);
        envelope.put("rawId", credentialId);
        envelope.put("type", "public-key");
        envelope.put("response", response);
        envelope.put("clientExtensionResults", Map.of());
        return new String(Json.write(envelope), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static PasskeyException malformed() {
        return PasskeyException.invalid("credential", "MALFORMED_CREDENTIAL",
                "Credential must be a WebAuthn response in its JSON form.");
    }
}
