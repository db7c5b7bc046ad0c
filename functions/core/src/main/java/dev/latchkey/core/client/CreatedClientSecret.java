package dev.latchkey.core.client;

import java.util.Objects;

/**
 * A secret just added, with its text: the one time it is shown. {@link #toString()} never shows the text.
 *
 * @param secret the stored form (id, times, hash)
 * @param value {@code lkcs_…}, for the response that hands it to its owner and nothing else
 */
public record CreatedClientSecret(ClientSecret secret, String value) {

    /** Checks presence. */
    public CreatedClientSecret {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "CreatedClientSecret[" + secret.secretId() + ", <redacted>]";
    }
}
