package dev.latchkey.core.audit;

/** Who, in kind, caused an audited event. */
public enum ActorType {
    /** A signed-in person; the id is a user id ({@code usr_…}). */
    USER,
    /** An organization API key; the id is the key id ({@code key_…}), never the key itself. */
    API_KEY,
    /** A service client (client credentials); the id is the client id ({@code cli_…}). */
    CLIENT,
    /** Nobody known yet, for example a failed login for an unknown email; the id is {@code anonymous}. */
    ANONYMOUS,
    /** Latchkey itself (a scheduled function); the id names the component, e.g. {@code rotate-keys}. */
    SYSTEM
}
