package dev.latchkey.infrastructure.mail;

import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Mail through Amazon SES (API v2 {@code SendEmail}, simple content, UTF-8 text body) from one
 * verified sender address ({@code LATCHKEY_MAIL_FROM}). The message's purpose goes along as an
 * SES message tag, so sending statistics split by purpose; neither the address nor the body is
 * ever logged (the body carries a single-use token).
 */
public final class SesMailer implements Mailer {

    private static final Logger LOG = LoggerFactory.getLogger(SesMailer.class);

    private final SesV2Client ses;
    private final String from;

    /**
     * @param ses the SES v2 client (built once per container)
     * @param from the verified sender address
     */
    public SesMailer(SesV2Client ses, String from) {
        this.ses = ses;
        this.from = from;
    }

    @Override
    public void send(MailMessage message) {
        try {
            String utf8 = StandardCharsets.UTF_8.name();
            ses.sendEmail(b -> b
                    .fromEmailAddress(from)
                    .destination(d -> d.toAddresses(message.to()))
                    .content(c -> c.simple(m -> m
                            .subject(s -> s.data(message.subject()).charset(utf8))
                            .body(body -> body.text(t -> t.data(message.text()).charset(utf8)))))
                    .emailTags(t -> t.name("purpose").value(message.purpose().replaceAll("[^A-Za-z0-9_-]", "_"))));
        } catch (SdkException e) {
            LOG.warn("SES SendEmail failed: {}", e.getClass().getSimpleName());
            throw MailException.unavailable(e);
        }
    }
}
