package dev.latchkey.core.apikey;

import java.util.Locale;

/** A key's state at a moment. */
public enum ApiKeyState {
    /** Works. */
    ACTIVE,
    /** Its {@code expires_at} has passed. */
    EXPIRED,
    /** Revoked (revocation wins over expiry). */
    REVOKED;

    /** The state's name in responses ({@code active}…). */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
