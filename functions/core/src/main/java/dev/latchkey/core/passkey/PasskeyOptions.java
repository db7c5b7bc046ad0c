package dev.latchkey.core.passkey;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an options call answers (API.md "passkey"): the challenge's id, to send back with the response, and the
 * options in the WebAuthn Level 3 JSON form — {@code PublicKeyCredentialCreationOptionsJSON} (§5.4.1) for
 * registration, {@code PublicKeyCredentialRequestOptionsJSON} (§5.5.1) for login — which a browser turns into
 * options with {@code PublicKeyCredential.parseCreationOptionsFromJSON} / {@code parseRequestOptionsFromJSON}.
 * Every binary value is base64url without padding; keys are the spec's camelCase names (map keys, so the API's
 * {@code snake_case} naming leaves them alone).
 *
 * @param challengeId the stored challenge ({@code chl_…}): single use, expires with the policy's lifetime
 * @param publicKey the options, deeply unmodifiable, in insertion order
 */
public record PasskeyOptions(String challengeId, Map<String, Object> publicKey) {

    /** Checks nothing is missing and freezes the options. */
    public PasskeyOptions {
        Objects.requireNonNull(challengeId, "challengeId");
        publicKey = freeze(Objects.requireNonNull(publicKey, "publicKey"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> freeze(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "key"), freezeValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object freezeValue(Object value) {
        Objects.requireNonNull(value, "value");
        if (value instanceof Map) {
            return freeze((Map<String, Object>) value);
        }
        if (value instanceof List) {
            return ((List<Object>) value).stream().map(PasskeyOptions::freezeValue).toList();
        }
        return value;
    }

    /** The challenge, base64url, as the options carry it. */
    public String challenge() {
        return (String) publicKey.get("challenge");
    }
}
