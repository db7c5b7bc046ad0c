package dev.latchkey.core.client;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/** The service-client use cases' errors. Messages name fields, never a secret, a hash or key material. */
public final class ClientException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private ClientException(ErrorCode code, String message, Map<String, Object> details) {
        super(code, message, details, null);
    }

    /** 400 for one field. */
    public static ClientException invalid(String field, String reason, String message) {
        return new ClientException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field, "reason", reason));
    }

    /** 404: no such client in this organization. */
    public static ClientException notFound() {
        return new ClientException(ErrorCode.NOT_FOUND, "Client not found.", Map.of());
    }

    /** 404: no such secret of this client. */
    public static ClientException secretNotFound() {
        return new ClientException(ErrorCode.NOT_FOUND, "Client secret not found.", Map.of());
    }

    /** 404: no such key of this client. */
    public static ClientException keyNotFound() {
        return new ClientException(ErrorCode.NOT_FOUND, "Client key not found.", Map.of());
    }

    /** 409: a duplicate, a limit, or a change that raced another one. */
    public static ClientException conflict(String reason, String message) {
        return new ClientException(ErrorCode.CONFLICT, message, Map.of("reason", reason));
    }
}
