package dev.latchkey.core.client;

/** The grants that give a service client a token of its own, each with the action of its audit event. */
public enum ClientGrant {
    /** RFC 6749 §4.4: the client authenticated at the token endpoint. */
    CLIENT_CREDENTIALS("token.client_credentials"),
    /** RFC 7523 §2.1: a JWT the client signed, with {@code iss} = {@code sub} = the client. */
    JWT_BEARER("token.jwt_bearer");

    private final String action;

    ClientGrant(String action) {
        this.action = action;
    }

    /** The audit action of a token issued through this grant. */
    public String action() {
        return action;
    }
}
