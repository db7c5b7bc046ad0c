package dev.latchkey.core.application;

import java.util.Locale;
import java.util.Optional;

/**
 * The client type (RFC 6749 §2.1; OAuth 2.1 §2.1): whether the application can keep a credential.
 */
public enum ApplicationType {
    /** Runs where a secret cannot be kept (a SPA, a native app): authenticates with nothing, PKCE only. */
    PUBLIC,
    /** Runs on a server: authenticates with a secret or a signed assertion, and PKCE. */
    CONFIDENTIAL;

    /** The wire name ({@code public}, {@code confidential}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type of a wire name, or empty. */
    public static Optional<ApplicationType> fromWireName(String text) {
        for (ApplicationType type : values()) {
            if (type.wireName().equals(text)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
