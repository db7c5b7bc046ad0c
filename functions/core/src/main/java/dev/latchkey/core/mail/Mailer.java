package dev.latchkey.core.mail;

/**
 * Sends mail for Latchkey's flows (email verification, password reset). Implementations hand the
 * message to a transport; delivery itself is asynchronous and not confirmed.
 *
 * <p>Callers send after the state the mail refers to is committed (a verification token that is not
 * stored must not be mailed) and must not reveal to the client whether a mail went out (no account
 * enumeration: {@code resend} and {@code forgot} answer 202 either way). A failed send is retried by
 * the user through the resend/forgot routes, not by rolling the account back.
 *
 * <p>Adapters: {@code FileOutboxMailer} (infrastructure) writes each message as a JSON file into a
 * local outbox folder ({@code .latchkey/outbox/}) for the local server and tests. <b>Known gap:</b>
 * there is no Amazon SES adapter yet: {@code software.amazon.awssdk:sesv2} (and {@code ses}) do not
 * resolve at the AWS SDK version the build pins (2.54.15) from the reachable Maven repository, so a
 * deployed stack cannot send mail until one is added.
 */
public interface Mailer {

    /**
     * Hands one message to the transport.
     *
     * @throws MailException when the transport cannot take it now ({@code SERVICE_UNAVAILABLE})
     */
    void send(MailMessage message);
}
