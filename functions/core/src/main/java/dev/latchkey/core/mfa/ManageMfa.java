package dev.latchkey.core.mfa;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's view and management of their second factor ({@code GET}/{@code DELETE /v1/users/me/mfa},
 * {@code POST /v1/users/me/mfa/recovery-codes}), and an administrator's reset of a member's factor. Removing the
 * factor or issuing new recovery codes takes a step-up first ({@link StepUp}: signed in within 10 minutes with a
 * second factor); both are audited, removal is mailed.
 */
public final class ManageMfa {

    private final UserRepository users;
    private final MfaRepository factors;
    private final TotpSecrets secrets;
    private final StepUp stepUp;
    private final Mailer mailer;
    private final SecureRandom random;
    private final MfaAudit audit;
    private final Clock clock;

    /**
     * @param users the accounts
     * @param factors the users' factors
     * @param secrets opens the secret recovery codes are keyed with
     * @param stepUp the recent multi-factor sign-in check
     * @param mailer tells the user the factor was removed
     * @param random recovery codes
     * @param auditLog where {@code mfa.*} goes
     * @param ids event ids
     * @param clock the time source
     */
    public ManageMfa(UserRepository users, MfaRepository factors, TotpSecrets secrets, StepUp stepUp, Mailer mailer,
            SecureRandom random, AuditLog auditLog, IdGenerator ids, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.factors = Objects.requireNonNull(factors, "factors");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.stepUp = Objects.requireNonNull(stepUp, "stepUp");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.random = Objects.requireNonNull(random, "random");
        this.audit = new MfaAudit(auditLog, ids, clock);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The user's second factors.
     *
     * @param enabled whether a TOTP authenticator is active
     * @param methods {@code ["totp", "recovery_code"]} when enabled, else empty
     * @param totpCreatedAt when it was confirmed
     * @param totpLastUsedAt when a code was last accepted
     * @param recoveryCodesLeft unspent recovery codes
     */
    public record Status(boolean enabled, List<String> methods, Optional<Instant> totpCreatedAt,
            Optional<Instant> totpLastUsedAt, int recoveryCodesLeft) {
    }

    /** {@code GET /v1/users/me/mfa}. */
    public Status status(AuthenticatedUser caller) {
        Optional<TotpFactor> factor = factors.findTotp(caller.userId());
        if (factor.isEmpty()) {
            return new Status(false, List.of(), Optional.empty(), Optional.empty(), 0);
        }
        return new Status(true, MfaLoginGate.METHODS, Optional.of(factor.get().createdAt()),
                factor.get().lastUsedAt(), factors.recoveryCodesLeft(caller.userId()));
    }

    /** Whether a user has an active second factor (organization policy, step-up). */
    public boolean enrolled(String userId) {
        return factors.findTotp(userId).isPresent();
    }

    /**
     * {@code DELETE /v1/users/me/mfa}: removes the factor, after a step-up.
     *
     * @throws MfaException 404 when none is enrolled
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 without a recent multi-factor sign-in
     */
    public void disable(AuthenticatedUser caller, RequestOrigin origin) {
        User user = enrolledUser(caller.userId());
        stepUp.require(caller);
        factors.remove(user.id());
        audit.record(MfaAudit.DISABLED, user, Outcome.SUCCESS, Map.of("method", "totp"), origin);
        notifyRemoved(user, "You removed the authenticator app from your Latchkey account.");
    }

    /**
     * {@code POST /v1/users/me/mfa/recovery-codes}: {@value RecoveryCodes#COUNT} new codes replace the old ones,
     * after a step-up.
     *
     * @return the new codes, shown once
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 without a recent multi-factor sign-in
     */
    public List<String> regenerateRecoveryCodes(AuthenticatedUser caller, RequestOrigin origin) {
        User user = enrolledUser(caller.userId());
        stepUp.require(caller);
        TotpFactor factor = factors.findTotp(user.id()).orElseThrow(MfaException::notEnrolled);
        List<String> codes = RecoveryCodes.generate(random);
        List<String> hashes = secrets.withSecret(user.id(), factor.secret(),
                secret -> RecoveryCodes.hashes(secret, codes));
        factors.replaceRecoveryCodes(user.id(), hashes, clock.instant());
        audit.record(MfaAudit.RECOVERY_CODES_REGENERATED, user, Outcome.SUCCESS, Map.of(), origin);
        return codes;
    }

    /**
     * An administrator removes a member's second factor (the caller has checked the permission in the
     * organization). Audited in that organization, mailed to the member.
     *
     * @param organizationId the organization the administrator acts in
     * @param adminUserId who
     * @param memberUserId whose factor
     * @throws MfaException 404 when the member has none
     */
    public void reset(String organizationId, String adminUserId, String memberUserId, RequestOrigin origin) {
        User member = enrolledUser(memberUserId);
        factors.remove(member.id());
        audit.record(MfaAudit.RESET_BY_ADMIN, member, Actor.user(adminUserId), organizationId, Outcome.SUCCESS,
                Map.of("method", "totp"), origin);
        notifyRemoved(member, "An administrator of one of your organizations removed the authenticator app from"
                + " your Latchkey account. Sign in and enrol it again.");
    }

    private User enrolledUser(String userId) {
        Optional<User> user = users.findById(userId);
        if (user.isEmpty() || factors.findTotp(userId).isEmpty()) {
            throw MfaException.notEnrolled();
        }
        return user.get();
    }

    private void notifyRemoved(User user, String text) {
        try {
            mailer.send(new MailMessage(user.email().mailbox(), "Two-factor sign-in was turned off",
                    text + "\n\nIf this was not you, change your password now.", MfaMail.MFA_REMOVED));
        } catch (MailException e) {
            System.getLogger(ManageMfa.class.getName()).log(System.Logger.Level.WARNING,
                    "mfa removal notice not sent: " + e.getClass().getSimpleName());
        }
    }
}
