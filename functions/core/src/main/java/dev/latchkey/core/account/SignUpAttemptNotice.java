package dev.latchkey.core.account;

import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import java.net.URI;
import java.util.Objects;

/**
 * The mail to the owner of an address someone tried to sign up with, when sign-up does not disclose that the
 * address is taken ({@link RegistrationDisclosure#SILENT}): it goes to the stored address of the existing account
 * (never to one taken from the request), names no one and holds no token, and points to login and password reset.
 */
public final class SignUpAttemptNotice {

    /** The mail's purpose (the outbox file name and the SES tag). */
    public static final String PURPOSE = "sign-up-attempt";
    static final String SUBJECT = "Someone tried to sign up with your email address";

    private final Mailer mailer;
    private final String base;

    /**
     * @param mailer the mail transport
     * @param issuer the public base URL ({@code LATCHKEY_ISSUER}), for the login and reset paths in the text
     */
    public SignUpAttemptNotice(Mailer mailer, URI issuer) {
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        String text = Objects.requireNonNull(issuer, "issuer").toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * Mails the existing account's owner.
     *
     * @throws dev.latchkey.core.mail.MailException when the mail cannot be handed over
     */
    public void send(User owner) {
        mailer.send(new MailMessage(owner.email().mailbox(), SUBJECT, text(), PURPOSE));
    }

    private String text() {
        return "Someone just tried to create a new account with this email address, which already has one.\n\n"
                + "If it was you, you already have an account: log in (POST " + base + "/v1/auth/login/password),\n"
                + "or, if you forgot your password, ask for a reset (POST " + base + "/v1/auth/password/forgot).\n\n"
                + "If it was not you, you can ignore this message: nothing was created or changed.\n";
    }
}
