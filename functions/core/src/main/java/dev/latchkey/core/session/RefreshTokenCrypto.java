package dev.latchkey.core.session;

import dev.latchkey.core.vault.Peppers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two keyed operations on refresh tokens; the server never stores a token in plaintext.
 *
 * <ul>
 *   <li><b>Token id</b> (the item key {@code REFRESH#<id>}): base64url(HMAC-SHA256(pepper, token)),
 *       where the pepper is {@link Peppers#REFRESH_TOKEN} (32 bytes, sealed by the key vault). A
 *       keyed hash rather than a slow hash: the token has 256 bits of entropy (ARCHITECTURE.md §5).</li>
 *   <li><b>Sealed successor</b>: when token T is rotated to T', T' is stored on T's item encrypted with
 *       AES-256-GCM under K = HKDF-SHA256(IKM = T's 32 random bytes, salt = "latchkey refresh-token
 *       successor v1", info = T's id) (RFC 5869), a random 96-bit nonce and T's id as associated
 *       data: {@code 0x01 ‖ nonce ‖ ciphertext ‖ tag}, base64url. Only a holder of T can derive K, so
 *       the stored successor is worthless to anyone reading the table (pepper included), yet a
 *       client retrying with T inside the grace gets exactly T' back.</li>
 * </ul>
 *
 * <p>The pepper is fetched from {@link Peppers} on first use and kept (the adapter opens it once
 * per container).
 */
public final class RefreshTokenCrypto {

    private static final byte VERSION = 0x01;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] HKDF_SALT = "latchkey refresh-token successor v1".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Peppers peppers;
    private final SecureRandom random;
    private volatile SecretKeySpec pepperKey;

    /**
     * @param peppers supplies the refresh-token pepper
     * @param random nonces
     */
    public RefreshTokenCrypto(Peppers peppers, SecureRandom random) {
        this.peppers = Objects.requireNonNull(peppers, "peppers");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The token's id: base64url(HMAC-SHA256(pepper, token text)), 43 characters. */
    public String tokenId(RefreshToken token) {
        return ENCODER.encodeToString(hmac(pepperKey(), token.value().getBytes(StandardCharsets.US_ASCII)));
    }

    /** Seals {@code successor} so that only a holder of {@code current} can open it. */
    public String sealSuccessor(RefreshToken current, String currentId, RefreshToken successor) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] key = successorKey(current, currentId);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(currentId.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(successor.value().getBytes(StandardCharsets.US_ASCII));
            return ENCODER.encodeToString(ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Opens a successor sealed by {@link #sealSuccessor}.
     *
     * @return the successor, or empty when it does not open with {@code current} (tampered, or
     *     not sealed under this token) or is not a well-formed token
     */
    public Optional<RefreshToken> openSuccessor(RefreshToken current, String currentId, String sealed) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length < 1 + NONCE_BYTES + TAG_BITS / 8 || bytes[0] != VERSION) {
            return Optional.empty();
        }
        byte[] key = successorKey(current, currentId);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, bytes, 1, NONCE_BYTES));
            cipher.updateAAD(currentId.getBytes(StandardCharsets.US_ASCII));
            byte[] plain = cipher.doFinal(bytes, 1 + NONCE_BYTES, bytes.length - 1 - NONCE_BYTES);
            return RefreshToken.parse(new String(plain, StandardCharsets.US_ASCII));
        } catch (javax.crypto.AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** HKDF-SHA256 (RFC 5869 §2.2 extract, §2.3 expand to one 32-byte block). */
    private static byte[] successorKey(RefreshToken current, String currentId) {
        byte[] ikm = current.secret();
        byte[] prk = hmac(new SecretKeySpec(HKDF_SALT, "HmacSHA256"), ikm);
        Arrays.fill(ikm, (byte) 0);
        byte[] info = currentId.getBytes(StandardCharsets.US_ASCII);
        byte[] block = ByteBuffer.allocate(info.length + 1).put(info).put((byte) 1).array();
        byte[] okm = hmac(new SecretKeySpec(prk, "HmacSHA256"), block);
        Arrays.fill(prk, (byte) 0);
        return okm;
    }

    private SecretKeySpec pepperKey() {
        SecretKeySpec key = pepperKey;
        if (key == null) {
            byte[] pepper = peppers.pepper(Peppers.REFRESH_TOKEN);
            if (pepper.length != 32) {
                throw new IllegalStateException("the refresh-token pepper must be 32 bytes");
            }
            key = new SecretKeySpec(pepper, "HmacSHA256");
            Arrays.fill(pepper, (byte) 0);
            pepperKey = key;
        }
        return key;
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
