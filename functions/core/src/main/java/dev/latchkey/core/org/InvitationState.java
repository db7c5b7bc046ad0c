package dev.latchkey.core.org;

import java.util.Locale;

/** Where an invitation stands as stored; a pending one past its expiry shows as {@code expired}. */
public enum InvitationState {
    PENDING,
    ACCEPTED,
    REVOKED;

    /** The lower-case name shown in responses. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
