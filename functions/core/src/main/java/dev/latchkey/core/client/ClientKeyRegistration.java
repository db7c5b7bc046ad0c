package dev.latchkey.core.client;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The rules a new public key passes before a client stores it for {@code private_key_jwt} (RFC 7523 §2.2): one
 * place for a service client's keys ({@code …/clients/{clientId}/keys}) and an application's
 * ({@code …/applications/{clientId}/keys}), so both accept the same key formats ({@link ClientPublicKeys}) and keep
 * the same limits ({@link ManageClients#MAX_USABLE_KEYS} usable, {@link ManageClients#MAX_STORED_CREDENTIALS}
 * stored).
 */
public final class ClientKeyRegistration {

    private ClientKeyRegistration() {
    }

    /**
     * Reads the request's JWK or certificate.
     *
     * @param now when a certificate must be valid
     * @throws ClientException 400 for a key that is not accepted (the member named, never its value)
     */
    public static ClientPublicKey read(NewClientKey request, Instant now) {
        return request.jwk().map(ClientPublicKeys::fromJwk)
                .orElseGet(() -> ClientPublicKeys.fromCertificate(request.certificate().orElseThrow(), now));
    }

    /**
     * The key to store beside {@code registered}, once it passes the limits.
     *
     * @param registered the client's keys, revoked and expired ones included
     * @param key the key read by {@link #read}
     * @param keyId its new {@code ck_…} id
     * @param actor who adds it
     * @param now when
     * @throws ClientException 409 {@code KEY_EXISTS} for a key the client has (revoked ones included),
     *     {@code KID_TAKEN} for a {@code kid} of another usable key, {@code TOO_MANY_KEYS} at a limit
     */
    public static ClientKey admit(List<ClientKey> registered, ClientPublicKey key, String keyId, String actor,
            Instant now) {
        byte[] spki = key.subjectPublicKeyInfo();
        if (registered.stream().anyMatch(k -> Arrays.equals(k.subjectPublicKeyInfo(), spki))) {
            throw ClientException.conflict("KEY_EXISTS", "This key is registered for this client already.");
        }
        List<ClientKey> usable = registered.stream().filter(k -> k.usableAt(now)).toList();
        if (usable.stream().anyMatch(k -> k.kid().equals(key.kid()))) {
            throw ClientException.conflict("KID_TAKEN", "Another usable key of this client has this 'kid'.");
        }
        if (usable.size() >= ManageClients.MAX_USABLE_KEYS) {
            throw ClientException.conflict("TOO_MANY_KEYS", "A client has at most " + ManageClients.MAX_USABLE_KEYS
                    + " usable keys; revoke one first.");
        }
        if (registered.size() >= ManageClients.MAX_STORED_CREDENTIALS) {
            throw ClientException.conflict("TOO_MANY_KEYS", "A client keeps at most "
                    + ManageClients.MAX_STORED_CREDENTIALS
                    + " keys, revoked ones included, until they are removed 30 days after they stopped.");
        }
        return new ClientKey(keyId, key.kid(), key.algorithm(), spki, now, actor, key.notAfter(), Optional.empty());
    }
}
