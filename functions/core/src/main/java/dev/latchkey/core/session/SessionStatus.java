package dev.latchkey.core.session;

/** Whether a session's refresh tokens may still be used. Expiry is separate: see {@link Session#isUsableAt}. */
public enum SessionStatus {
    /** Refreshable until its idle or absolute expiry. */
    ACTIVE,
    /** Ended for good; {@link Session#revokedAt()} and {@link Session#revokeReason()} say when and why. */
    REVOKED
}
