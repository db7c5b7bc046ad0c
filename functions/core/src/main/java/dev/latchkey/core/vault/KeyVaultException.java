package dev.latchkey.core.vault;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * The key vault failed. {@link #unavailable} (KMS or the key file cannot be reached: the request
 * may succeed later, 503) is told apart from {@link #cannotOpen} (wrong context, tampered or foreign
 * data: a bug or an attack, 500). Neither carries any secret.
 */
public final class KeyVaultException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private KeyVaultException(ErrorCode code, String message, Throwable cause) {
        super(code, message, Map.of(), cause);
    }

    /** The vault cannot be reached now. */
    public static KeyVaultException unavailable(Throwable cause) {
        return new KeyVaultException(ErrorCode.SERVICE_UNAVAILABLE, "Key vault unavailable.", cause);
    }

    /** The sealed data does not open under this vault and context. */
    public static KeyVaultException cannotOpen(Throwable cause) {
        return new KeyVaultException(ErrorCode.INTERNAL_ERROR, "Sealed secret cannot be opened.", cause);
    }
}
