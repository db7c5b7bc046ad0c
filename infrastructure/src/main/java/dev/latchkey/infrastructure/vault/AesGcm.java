package dev.latchkey.infrastructure.vault;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM with a random 96-bit nonce per message (NIST SP 800-38D §8.2.2) and a 128-bit tag. */
final class AesGcm {

    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    static final int KEY_BYTES = 32;

    private AesGcm() {
    }

    /** nonce ‖ ciphertext ‖ tag. */
    static byte[] encrypt(byte[] key, byte[] plaintext, byte[] associatedData, SecureRandom random)
            throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData);
        byte[] sealed = cipher.doFinal(plaintext);
        byte[] out = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
        return out;
    }

    /** Opens nonce ‖ ciphertext ‖ tag; throws when the tag, key or associated data do not match. */
    static byte[] decrypt(byte[] key, byte[] message, int offset, byte[] associatedData)
            throws GeneralSecurityException {
        if (message.length - offset < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("sealed message too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(TAG_BITS, message, offset, NONCE_BYTES));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(message, offset + NONCE_BYTES, message.length - offset - NONCE_BYTES);
    }
}
