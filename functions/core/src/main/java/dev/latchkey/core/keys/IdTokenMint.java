package dev.latchkey.core.keys;

import dev.latchkey.core.token.IdTokenIssuer;
import dev.latchkey.core.token.OpenedRsaSigningKey;
import dev.latchkey.core.token.OpenedSigningKey;
import dev.latchkey.core.token.SigningAlgorithm;
import java.util.Objects;

/**
 * The ID-token signers of the container's current keys (OpenID Connect Core §2): the active RS256 key by default,
 * the active ES256 key for applications that registered {@code ES256}; each re-opened after a rotation, like
 * {@link AccessTokenMint#signer()}. Thread-safe.
 */
public final class IdTokenMint {

    private final CurrentKeys keys;
    private IdTokenIssuer rsa;
    private IdTokenIssuer ec;

    /** @param keys the container's signing keys */
    public IdTokenMint(CurrentKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * The signer of {@code algorithm}'s active key.
     *
     * @throws NoActiveKeyException when no key of that algorithm is active
     */
    public synchronized IdTokenIssuer signer(SigningAlgorithm algorithm) {
        if (algorithm == SigningAlgorithm.RS256) {
            OpenedRsaSigningKey key = keys.rsaSigningKey();
            if (rsa == null || !rsa.kid().equals(key.kid())) {
                rsa = new IdTokenIssuer(key);
            }
            return rsa;
        }
        OpenedSigningKey key = keys.signingKey();
        if (ec == null || !ec.kid().equals(key.kid())) {
            ec = new IdTokenIssuer(key);
        }
        return ec;
    }
}
