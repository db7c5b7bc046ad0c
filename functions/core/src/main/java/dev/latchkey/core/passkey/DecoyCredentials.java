package dev.latchkey.core.passkey;

import dev.latchkey.core.vault.Peppers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The made-up credential ids login options name for an address without passkeys (or without an account), and their
 * recognition. A decoy is 32 bytes: 16 bytes of HMAC-SHA-256(passkey-decoy pepper, label ‖ canonical email) —
 * deterministic, so asking twice gives the same answer as for a real user — followed by a 16-byte tag,
 * HMAC-SHA-256(pepper, tag label ‖ those 16 bytes). The tag lets Latchkey recognize any decoy without knowing the
 * address, so registering one's own authenticator under a decoy id is refused exactly like registering it under
 * another user's real id (issue 20 §1): the two answers no longer tell a decoy from a real credential. A real
 * authenticator's random id is a decoy with probability 2<sup>−128</sup>.
 */
public final class DecoyCredentials {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final byte[] ID_LABEL = "latchkey passkey decoy v2\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TAG_LABEL = "latchkey passkey decoy tag v2\n".getBytes(StandardCharsets.UTF_8);
    private static final int HALF = 16;

    private final Peppers peppers;

    /** @param peppers the {@code passkey-decoy} pepper */
    public DecoyCredentials(Peppers peppers) {
        this.peppers = Objects.requireNonNull(peppers, "peppers");
    }

    /** The decoy credential id of an address, base64url without padding. */
    public String idFor(String canonicalEmail) {
        byte[] head = Arrays.copyOf(mac(ID_LABEL, canonicalEmail.getBytes(StandardCharsets.UTF_8)), HALF);
        byte[] id = Arrays.copyOf(head, 2 * HALF);
        System.arraycopy(mac(TAG_LABEL, head), 0, id, HALF, HALF);
        return BASE64URL.encodeToString(id);
    }

    /**
     * Whether a credential id is a decoy (its tag verifies; constant-time comparison).
     *
     * @param credentialId base64url without padding
     */
    public boolean isDecoy(String credentialId) {
        byte[] id;
        try {
            id = DECODER.decode(credentialId);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] head = Arrays.copyOf(id, HALF);
        byte[] expected = Arrays.copyOf(mac(TAG_LABEL, head), HALF);
        byte[] tag = id.length == 2 * HALF ? Arrays.copyOfRange(id, HALF, 2 * HALF) : new byte[HALF];
        return MessageDigest.isEqual(expected, tag) & id.length == 2 * HALF;
    }

    private byte[] mac(byte[] label, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(peppers.pepper(Peppers.PASSKEY_DECOY), "HmacSHA256"));
            mac.update(label);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
