package dev.latchkey.core.application;

import java.util.Objects;
import java.util.Optional;

/**
 * An application just created, or whose secret was just rotated, with the secret's text: the one time it is shown.
 * {@link #toString()} never shows it.
 *
 * @param application the application as stored
 * @param secret the new {@code lkcs_…} secret of a confidential application with a secret method
 */
public record CreatedApplication(Application application, Optional<String> secret) {

    /** Checks presence. */
    public CreatedApplication {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "CreatedApplication[" + application.clientId() + ", secret=" + secret.map(s -> "<redacted>")
                .orElse("none") + "]";
    }
}
