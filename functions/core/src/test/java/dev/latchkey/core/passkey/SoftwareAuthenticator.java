package dev.latchkey.core.passkey;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.authenticator.EdDSACOSEKey;
import com.webauthn4j.data.attestation.authenticator.RSACOSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import dev.latchkey.core.http.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A software authenticator and browser in one, for tests: it answers the options of {@link PasskeyOptions} with
 * the WebAuthn Level 3 JSON forms a browser's {@code PublicKeyCredential.toJSON()} produces
 * ({@code RegistrationResponseJSON}, {@code AuthenticationResponseJSON}), with attestation {@code none}, for
 * ES256, EdDSA (Ed25519) or RS256 credentials. It uses webauthn4j-core only for the CBOR encodings (COSE key,
 * authenticator data, attestation object), so other modules' tests can use it without webauthn4j-test.
 *
 * <p>By default it behaves: the client data carries the ceremony's type, the options' challenge and the given
 * origin; the RP id hash is the options' RP id; UP and UV are set; the credential is backup eligible and backed
 * up; the counter goes up by one per assertion. An {@link Emulation} changes any of that, to forge exactly one
 * wrong thing.
 */
public final class SoftwareAuthenticator {

    /** A credential's algorithm. */
    public enum Algorithm {
        ES256(-7), EDDSA(-8), RS256(-257);

        private final int cose;

        Algorithm(int cose) {
            this.cose = cose;
        }

        /** The COSE algorithm identifier. */
        public int cose() {
            return cose;
        }
    }

    /** A credential this authenticator holds. */
    public static final class Credential {
        private final byte[] id;
        private final KeyPair keys;
        private final Algorithm algorithm;
        private final String rpId;
        private final byte[] userHandle;
        private long counter;

        Credential(byte[] id, KeyPair keys, Algorithm algorithm, String rpId, byte[] userHandle) {
            this.id = id;
            this.keys = keys;
            this.algorithm = algorithm;
            this.rpId = rpId;
            this.userHandle = userHandle;
        }

        /** The credential id, base64url. */
        public String id() {
            return ENCODER.encodeToString(id);
        }

        /** The user handle the RP gave at registration, base64url. */
        public String userHandle() {
            return ENCODER.encodeToString(userHandle);
        }

        /** The algorithm. */
        public Algorithm algorithm() {
            return algorithm;
        }

        /** The counter of the last signature. */
        public long counter() {
            return counter;
        }
    }

    /**
     * How one ceremony is emulated; every setter forges one thing.
     */
    public static final class Emulation {
        private String origin;
        private String type;
        private String challenge;
        private Boolean crossOrigin = Boolean.FALSE;
        private String topOrigin;
        private String rpId;
        private boolean userPresent = true;
        private boolean userVerified = true;
        private boolean backupEligible = true;
        private boolean backedUp = true;
        private Long signCount;
        private boolean userHandle = true;
        private String forcedUserHandle;
        private boolean tamperSignature;
        private String credentialId;
        private List<String> transports = List.of("internal", "hybrid");
        private KeyPair keyPair;
        private COSEKey coseKey;
        private java.util.function.UnaryOperator<String> clientDataRewrite =
                java.util.function.UnaryOperator.identity();

        private Emulation(String origin) {
            this.origin = origin;
        }

        /** A well-behaved ceremony from this origin. */
        public static Emulation at(String origin) {
            return new Emulation(origin);
        }

        /** A copy to change. */
        public Emulation copy() {
            Emulation copy = new Emulation(origin);
            copy.type = type;
            copy.challenge = challenge;
            copy.crossOrigin = crossOrigin;
            copy.topOrigin = topOrigin;
            copy.rpId = rpId;
            copy.userPresent = userPresent;
            copy.userVerified = userVerified;
            copy.backupEligible = backupEligible;
            copy.backedUp = backedUp;
            copy.signCount = signCount;
            copy.userHandle = userHandle;
            copy.forcedUserHandle = forcedUserHandle;
            copy.tamperSignature = tamperSignature;
            copy.credentialId = credentialId;
            copy.transports = transports;
            copy.keyPair = keyPair;
            copy.coseKey = coseKey;
            copy.clientDataRewrite = clientDataRewrite;
            return copy;
        }

        /** {@code clientDataJSON.origin}. */
        public Emulation origin(String value) {
            this.origin = value;
            return this;
        }

        /** {@code clientDataJSON.type} instead of the ceremony's own. */
        public Emulation type(String value) {
            this.type = value;
            return this;
        }

        /** {@code clientDataJSON.challenge} (base64url) instead of the options' one. */
        public Emulation challenge(String value) {
            this.challenge = value;
            return this;
        }

        /** {@code clientDataJSON.crossOrigin}; null leaves it out. */
        public Emulation crossOrigin(Boolean value) {
            this.crossOrigin = value;
            return this;
        }

        /** {@code clientDataJSON.topOrigin}. */
        public Emulation topOrigin(String value) {
            this.topOrigin = value;
            return this;
        }

        /** The RP id whose SHA-256 goes into the authenticator data, instead of the options' one. */
        public Emulation rpId(String value) {
            this.rpId = value;
            return this;
        }

        /** The UP flag. */
        public Emulation userPresent(boolean value) {
            this.userPresent = value;
            return this;
        }

        /** The UV flag. */
        public Emulation userVerified(boolean value) {
            this.userVerified = value;
            return this;
        }

        /** The BE flag. */
        public Emulation backupEligible(boolean value) {
            this.backupEligible = value;
            return this;
        }

        /** The BS flag. */
        public Emulation backedUp(boolean value) {
            this.backedUp = value;
            return this;
        }

        /** The signature counter to report (and keep), instead of the next one. */
        public Emulation signCount(long value) {
            this.signCount = value;
            return this;
        }

        /** Whether an assertion carries {@code userHandle}. */
        public Emulation userHandle(boolean value) {
            this.userHandle = value;
            return this;
        }

        /** An assertion's {@code userHandle} (base64url) instead of the credential's. */
        public Emulation userHandle(String value) {
            this.forcedUserHandle = value;
            return this;
        }

        /** Flips a bit of the signature. */
        public Emulation tamperSignature() {
            this.tamperSignature = true;
            return this;
        }

        /**
         * The credential to assert with (base64url), whatever the options allow; at registration, the id the new
         * credential gets (a colliding or malicious authenticator).
         */
        public Emulation credential(String id) {
            this.credentialId = id;
            return this;
        }

        /** The transports a registration reports. */
        public Emulation transports(List<String> value) {
            this.transports = List.copyOf(value);
            return this;
        }

        /** At registration: the new credential's key pair (a weak RSA key, say) instead of a fresh sound one. */
        public Emulation keyPair(KeyPair value) {
            this.keyPair = value;
            return this;
        }

        /** At registration: the COSE key the attestation carries, whatever the credential's real key is. */
        public Emulation coseKey(COSEKey value) {
            this.coseKey = value;
            return this;
        }

        /** Rewrites the serialized {@code clientDataJSON} text (a duplicate member, an odd origin spelling). */
        public Emulation clientDataText(java.util.function.UnaryOperator<String> rewrite) {
            this.clientDataRewrite = rewrite;
            return this;
        }
    }

    /**
     * A registration's answer.
     *
     * @param json the {@code RegistrationResponseJSON}
     * @param credential the new credential
     */
    public record Registration(String json, Credential credential) {
    }

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final ObjectConverter CONVERTER = new ObjectConverter();

    private final List<Credential> credentials = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private final Algorithm algorithm;
    private final UUID aaguid;

    /** An authenticator making ES256 credentials, AAGUID all zeros (what attestation {@code none} shows). */
    public SoftwareAuthenticator() {
        this(Algorithm.ES256);
    }

    /** An authenticator making credentials of this algorithm. */
    public SoftwareAuthenticator(Algorithm algorithm) {
        this(algorithm, new UUID(0, 0));
    }

    /** An authenticator making credentials of this algorithm with this AAGUID. */
    public SoftwareAuthenticator(Algorithm algorithm, UUID aaguid) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.aaguid = Objects.requireNonNull(aaguid, "aaguid");
    }

    /** The credentials it holds, oldest first. */
    public synchronized List<Credential> credentials() {
        return List.copyOf(credentials);
    }

    /**
     * {@code navigator.credentials.create} with these options ({@code PublicKeyCredentialCreationOptionsJSON}).
     *
     * @throws IllegalStateException like the browser's {@code InvalidStateError} when the authenticator holds a
     *     credential of {@code excludeCredentials}, or {@code NotSupportedError} when no algorithm fits
     */
    @SuppressWarnings("unchecked")
    public synchronized Registration register(Map<String, Object> publicKey, Emulation emulation) {
        Map<String, Object> rp = (Map<String, Object>) publicKey.get("rp");
        Map<String, Object> user = (Map<String, Object>) publicKey.get("user");
        String rpId = (String) rp.get("id");
        List<Map<String, Object>> parameters = (List<Map<String, Object>>) publicKey.get("pubKeyCredParams");
        if (parameters.stream().noneMatch(p -> ((Number) p.get("alg")).intValue() == algorithm.cose())) {
            throw new IllegalStateException("NotSupportedError: " + algorithm + " not offered");
        }
        for (Map<String, Object> excluded : (List<Map<String, Object>>) publicKey.getOrDefault("excludeCredentials",
                List.of())) {
            for (Credential held : credentials) {
                if (held.id().equals(excluded.get("id")) && held.rpId.equals(rpId)) {
                    throw new IllegalStateException("InvalidStateError: excluded credential present");
                }
            }
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        if (emulation.credentialId != null) {
            id = DECODER.decode(emulation.credentialId);
        }
        Credential credential = new Credential(id, emulation.keyPair != null ? emulation.keyPair : keyPair(algorithm),
                algorithm, rpId,
                DECODER.decode((String) user.get("id")));
        if (emulation.signCount != null) {
            credential.counter = emulation.signCount;
        }
        byte[] clientData = clientData("webauthn.create", publicKey, emulation);
        AttestedCredentialData attested = new AttestedCredentialData(new AAGUID(aaguid), id,
                emulation.coseKey != null ? emulation.coseKey : coseKey(credential));
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> authenticatorData = new AuthenticatorData<>(
                rpIdHash(emulation.rpId == null ? rpId : emulation.rpId),
                (byte) (flags(emulation) | AuthenticatorData.BIT_AT), credential.counter, attested);
        byte[] authenticatorDataBytes = new AuthenticatorDataConverter(CONVERTER).convert(authenticatorData);
        byte[] attestationObject = new AttestationObjectConverter(CONVERTER).convertToBytes(
                new AttestationObject(authenticatorData, new NoneAttestationStatement()));
        credentials.add(credential);

        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", ENCODER.encodeToString(clientData));
        response.put("authenticatorData", ENCODER.encodeToString(authenticatorDataBytes));
        response.put("transports", emulation.transports);
        response.put("publicKey", ENCODER.encodeToString(credential.keys.getPublic().getEncoded()));
        response.put("publicKeyAlgorithm", algorithm.cose());
        response.put("attestationObject", ENCODER.encodeToString(attestationObject));
        return new Registration(json(credential.id(), response), credential);
    }

    /**
     * {@code navigator.credentials.get} with these options ({@code PublicKeyCredentialRequestOptionsJSON}).
     *
     * @throws IllegalStateException like the browser's {@code NotAllowedError} when no credential fits
     */
    @SuppressWarnings("unchecked")
    public synchronized String authenticate(Map<String, Object> publicKey, Emulation emulation) {
        String rpId = (String) publicKey.get("rpId");
        Credential credential = choose(rpId, (List<Map<String, Object>>) publicKey.getOrDefault("allowCredentials",
                List.of()), emulation.credentialId);
        credential.counter = emulation.signCount != null ? emulation.signCount : credential.counter + 1;
        byte[] clientData = clientData("webauthn.get", publicKey, emulation);
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> authenticatorData = new AuthenticatorData<>(
                rpIdHash(emulation.rpId == null ? rpId : emulation.rpId), flags(emulation), credential.counter);
        byte[] authenticatorDataBytes = new AuthenticatorDataConverter(CONVERTER).convert(authenticatorData);
        byte[] signature = sign(credential, ByteBuffer.allocate(authenticatorDataBytes.length + 32)
                .put(authenticatorDataBytes).put(sha256(clientData)).array());
        if (emulation.tamperSignature) {
            signature[signature.length / 2] ^= 1;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", ENCODER.encodeToString(clientData));
        response.put("authenticatorData", ENCODER.encodeToString(authenticatorDataBytes));
        response.put("signature", ENCODER.encodeToString(signature));
        if (emulation.forcedUserHandle != null) {
            response.put("userHandle", emulation.forcedUserHandle);
        } else if (emulation.userHandle) {
            response.put("userHandle", credential.userHandle());
        }
        return json(credential.id(), response);
    }

    private Credential choose(String rpId, List<Map<String, Object>> allowed, String forced) {
        if (forced != null) {
            return credentials.stream().filter(c -> c.id().equals(forced)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("NotAllowedError: no such credential"));
        }
        if (!allowed.isEmpty()) {
            for (Map<String, Object> descriptor : allowed) {
                for (Credential held : credentials) {
                    if (held.id().equals(descriptor.get("id")) && held.rpId.equals(rpId)) {
                        return held;
                    }
                }
            }
            throw new IllegalStateException("NotAllowedError: no allowed credential here");
        }
        for (int i = credentials.size() - 1; i >= 0; i--) {
            if (credentials.get(i).rpId.equals(rpId)) {
                return credentials.get(i);
            }
        }
        throw new IllegalStateException("NotAllowedError: no credential for " + rpId);
    }

    private static byte[] clientData(String ceremonyType, Map<String, Object> publicKey, Emulation emulation) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", emulation.type == null ? ceremonyType : emulation.type);
        data.put("challenge", emulation.challenge == null ? publicKey.get("challenge") : emulation.challenge);
        data.put("origin", emulation.origin);
        if (emulation.crossOrigin != null) {
            data.put("crossOrigin", emulation.crossOrigin);
        }
        if (emulation.topOrigin != null) {
            data.put("topOrigin", emulation.topOrigin);
        }
        return emulation.clientDataRewrite.apply(new String(Json.write(data), java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte flags(Emulation emulation) {
        int flags = 0;
        if (emulation.userPresent) {
            flags |= AuthenticatorData.BIT_UP;
        }
        if (emulation.userVerified) {
            flags |= AuthenticatorData.BIT_UV;
        }
        if (emulation.backupEligible) {
            flags |= AuthenticatorData.BIT_BE;
        }
        if (emulation.backedUp) {
            flags |= AuthenticatorData.BIT_BS;
        }
        return (byte) flags;
    }

    private static String json(String credentialId, Map<String, Object> response) {
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("id", credentialId);
        credential.put("rawId", credentialId);
        credential.put("type", "public-key");
        credential.put("authenticatorAttachment", "platform");
        credential.put("clientExtensionResults", Map.of());
        credential.put("response", response);
        return new String(Json.write(credential), StandardCharsets.UTF_8);
    }

    private static KeyPair keyPair(Algorithm algorithm) {
        try {
            switch (algorithm) {
                case ES256: {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"));
                    return generator.generateKeyPair();
                }
                case EDDSA:
                    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                default: {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    return generator.generateKeyPair();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static COSEKey coseKey(Credential credential) {
        switch (credential.algorithm) {
            case ES256:
                return EC2COSEKey.create((ECPublicKey) credential.keys.getPublic(), COSEAlgorithmIdentifier.ES256);
            case EDDSA:
                return EdDSACOSEKey.create((EdECPublicKey) credential.keys.getPublic(), COSEAlgorithmIdentifier.EdDSA);
            default:
                return RSACOSEKey.create((RSAPublicKey) credential.keys.getPublic(), COSEAlgorithmIdentifier.RS256);
        }
    }

    private static byte[] sign(Credential credential, byte[] data) {
        String name;
        switch (credential.algorithm) {
            case ES256:
                name = "SHA256withECDSA";
                break;
            case EDDSA:
                name = "Ed25519";
                break;
            default:
                name = "SHA256withRSA";
                break;
        }
        try {
            Signature signature = Signature.getInstance(name);
            signature.initSign(credential.keys.getPrivate());
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] rpIdHash(String rpId) {
        return sha256(rpId.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
