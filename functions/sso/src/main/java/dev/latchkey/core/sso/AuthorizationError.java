package dev.latchkey.core.sso;

import java.util.Objects;

/**
 * An error of the authorization endpoint (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6): the {@code error} code
 * and a description for the developer (never a secret, never the user's input).
 *
 * @param error the error code
 * @param description the {@code error_description}
 */
public record AuthorizationError(String error, String description) {

    /** The request is malformed (RFC 6749 §4.1.2.1). */
    public static final String INVALID_REQUEST = "invalid_request";
    /** Only {@code code} is supported. */
    public static final String UNSUPPORTED_RESPONSE_TYPE = "unsupported_response_type";
    /** A scope is unknown or not allowed for the client. */
    public static final String INVALID_SCOPE = "invalid_scope";
    /** The user refused. */
    public static final String ACCESS_DENIED = "access_denied";
    /** {@code prompt=none} and the user must sign in (OpenID Connect Core §3.1.2.6). */
    public static final String LOGIN_REQUIRED = "login_required";
    /** {@code prompt=none} and the user must consent. */
    public static final String CONSENT_REQUIRED = "consent_required";
    /** The {@code request} parameter is not supported (OpenID Connect Core §6). */
    public static final String REQUEST_NOT_SUPPORTED = "request_not_supported";
    /** The {@code request_uri} parameter is not supported. */
    public static final String REQUEST_URI_NOT_SUPPORTED = "request_uri_not_supported";
    /** The {@code registration} parameter is not supported. */
    public static final String REGISTRATION_NOT_SUPPORTED = "registration_not_supported";
    /** Shown on the error page only: the client is not known. */
    public static final String INVALID_CLIENT = "invalid_client";
    /** The request could not be served (a store failure). */
    public static final String SERVER_ERROR = "server_error";

    /** Validates. */
    public AuthorizationError {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(description, "description");
    }
}
