package dev.latchkey.core.apikey;

import dev.latchkey.core.audit.AuditEvent;
import java.util.Objects;

/**
 * One key's new state and the audit event that records it, as a part of a change of several keys at once (a
 * family's revocation, {@link ApiKeyRepository#revoke}).
 *
 * @param key the key as it is to be written ({@code version} one more than stored)
 * @param event its audit event
 */
public record ApiKeyChange(ApiKey key, AuditEvent event) {

    /** Checks nothing is missing. */
    public ApiKeyChange {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(event, "event");
    }
}
