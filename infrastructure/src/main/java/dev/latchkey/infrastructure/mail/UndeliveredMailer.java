package dev.latchkey.infrastructure.mail;

import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail transport of a Lambda zip started with the local key vault outside AWS ({@code sam local invoke},
 * {@code tools/coldstart/measure.sh}): the zip carries no file outbox ({@code latchkey-infrastructure-local} is local
 * only) and SES needs the KMS setup, so each message is dropped with a warning naming only its purpose — never the
 * address, the subject or the text, which hold live tokens. Callers see what they would see with an outbox: mail is
 * asynchronous and unconfirmed ({@link Mailer}). A real Lambda never gets here: it refuses the local key vault.
 */
public final class UndeliveredMailer implements Mailer {

    private static final Logger LOG = LoggerFactory.getLogger(UndeliveredMailer.class);

    @Override
    public void send(MailMessage message) {
        LOG.warn("mail not delivered (purpose {}): this package has no outbox; the local server and the tests have one",
                message.purpose());
    }
}
