package dev.latchkey.infrastructure.mail;

import dev.latchkey.core.mail.Mailer;
import dev.latchkey.infrastructure.runtime.LocalParts;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * The local parts of the local server and the tests (registered in
 * {@code META-INF/services/dev.latchkey.infrastructure.runtime.LocalParts}): mail goes to a {@link FileOutboxMailer}.
 */
public final class FileOutboxLocalParts implements LocalParts {

    @Override
    public Mailer outbox(Path directory, Clock clock, SecureRandom random) {
        return new FileOutboxMailer(directory, clock, random);
    }
}
