package dev.latchkey.core.passkey;

/**
 * The two WebAuthn ceremonies. A challenge is issued for one of them and spends only there: a registration
 * challenge never completes a login, nor the other way round.
 */
public enum Ceremony {
    /** Adding a passkey to a signed-in user ({@code navigator.credentials.create}, type {@code webauthn.create}). */
    REGISTRATION("webauthn-registration", "webauthn.create"),
    /** Logging in with a passkey ({@code navigator.credentials.get}, type {@code webauthn.get}). */
    AUTHENTICATION("webauthn-authentication", "webauthn.get");

    private final String purpose;
    private final String clientDataType;

    Ceremony(String purpose, String clientDataType) {
        this.purpose = purpose;
        this.clientDataType = clientDataType;
    }

    /** The stored challenge's {@code purpose}, beside the email-verification and password-reset ones. */
    public String purpose() {
        return purpose;
    }

    /** The {@code clientDataJSON.type} this ceremony requires (WebAuthn L3 §7.1 step 7, §7.2 step 11). */
    public String clientDataType() {
        return clientDataType;
    }

    /** The ceremony stored under this purpose. */
    public static Ceremony ofPurpose(String purpose) {
        for (Ceremony ceremony : values()) {
            if (ceremony.purpose.equals(purpose)) {
                return ceremony;
            }
        }
        throw new IllegalArgumentException("unknown ceremony purpose");
    }
}
