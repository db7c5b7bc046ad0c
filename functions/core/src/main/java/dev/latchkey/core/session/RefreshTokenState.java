package dev.latchkey.core.session;

/** The state of one stored refresh token. */
public enum RefreshTokenState {
    /** The session's current token: the next refresh rotates it. */
    ACTIVE,
    /** Used once; its successor is stored sealed under a key only this token's holder can derive. */
    ROTATED
}
