package dev.latchkey.infrastructure.runtime;

import dev.latchkey.core.mail.Mailer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * What only the local deployment shapes — the local server and the tests — add to the runtime, found on the
 * classpath with {@link java.util.ServiceLoader}: {@code latchkey-infrastructure-local} provides it (the local
 * server depends on it, function modules only in test scope), so no Lambda zip carries a file outbox.
 * {@link LatchkeyRuntime} asks for it only with the local key vault; in AWS nothing looks it up.
 */
public interface LocalParts {

    /**
     * The mail transport of the local key vault: a file outbox.
     *
     * @param directory the outbox folder ({@code <LATCHKEY_DATA_DIR>/outbox})
     * @param clock the time in file names
     * @param random the source of the file names' random part
     */
    Mailer outbox(Path directory, Clock clock, SecureRandom random);
}
