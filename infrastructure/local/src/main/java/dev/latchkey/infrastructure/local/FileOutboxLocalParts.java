package dev.latchkey.infrastructure.local;

import dev.latchkey.core.mail.Mailer;
import dev.latchkey.infrastructure.mail.FileOutboxMailer;
import dev.latchkey.infrastructure.runtime.LocalParts;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * The local parts of the local server and the tests (registered in
 * {@code META-INF/services/dev.latchkey.infrastructure.runtime.LocalParts}): mail goes to a {@link FileOutboxMailer}.
 * In its own package: {@code runtime} uses {@code mail}, so a {@code mail} class implementing {@code runtime}'s
 * interface would make the two packages a cycle.
 */
public final class FileOutboxLocalParts implements LocalParts {

    @Override
    public Mailer outbox(Path directory, Clock clock, SecureRandom random) {
        return new FileOutboxMailer(directory, clock, random);
    }
}
