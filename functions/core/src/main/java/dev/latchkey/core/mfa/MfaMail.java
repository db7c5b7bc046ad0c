package dev.latchkey.core.mfa;

/** The mail purposes of second factors ({@link dev.latchkey.core.mail.MailMessage#purpose()}). */
public final class MfaMail {

    /** A recovery code was used. */
    public static final String RECOVERY_CODE_USED = "mfa-recovery-code-used";

    /** The second factor was removed (by the user or an administrator). */
    public static final String MFA_REMOVED = "mfa-removed";

    private MfaMail() {
    }
}
