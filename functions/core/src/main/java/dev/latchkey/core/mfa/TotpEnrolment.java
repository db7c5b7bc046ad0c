package dev.latchkey.core.mfa;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.login.LoginThrottle;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.vault.SealedSecret;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * TOTP enrolment of the signed-in user ({@code POST /v1/users/me/mfa/totp} and {@code …/totp/confirm}):
 * <ol>
 *   <li>{@link #start}: when an authenticator is active already, a code from it or a recovery code first
 *       ({@link SecondFactorVerifier}); else a sign-in within {@link StepUp#MAX_AGE} ({@link StepUp}: a stolen,
 *       older session cannot bind the attacker's authenticator and lock the user out); then a new 160-bit secret,
 *       sealed by the key vault and stored as the pending enrolment ({@value #PENDING_MINUTES} minutes); answered
 *       once as the {@code otpauth://} URI, its base32 form (for typing) and the QR code (SVG). It is never
 *       returned again;</li>
 *   <li>{@link #confirm}: the first code of the new authenticator (±1 step, through the same throttle as every
 *       code); then, atomically, the pending secret becomes the factor (its step recorded, so the confirming code
 *       cannot sign in) and {@value RecoveryCodes#COUNT} new recovery codes replace any old ones; the codes are
 *       answered once.</li>
 * </ol>
 */
public final class TotpEnrolment {

    /** How long a started enrolment can be confirmed. */
    public static final int PENDING_MINUTES = 10;

    private final UserRepository users;
    private final MfaRepository factors;
    private final TotpSecrets secrets;
    private final SecondFactorVerifier verifier;
    private final StepUp stepUp;
    private final LoginThrottle throttle;
    private final QrCodes qrCodes;
    private final String issuerName;
    private final SecureRandom random;
    private final MfaAudit audit;
    private final Clock clock;

    /**
     * @param users the accounts
     * @param factors the users' factors
     * @param secrets generates, seals and opens secrets
     * @param verifier checks the current factor before a replacement
     * @param stepUp the recent sign-in check of a first enrolment
     * @param throttle the factor's failure streak, for confirmation codes
     * @param qrCodes renders the URI
     * @param issuerName the issuer shown in authenticator apps
     * @param random recovery codes
     * @param auditLog where {@code mfa.*} goes
     * @param ids event ids
     * @param clock the time source
     */
    public TotpEnrolment(UserRepository users, MfaRepository factors, TotpSecrets secrets,
            SecondFactorVerifier verifier, StepUp stepUp, LoginThrottle throttle, QrCodes qrCodes, String issuerName,
            SecureRandom random, AuditLog auditLog, IdGenerator ids, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.factors = Objects.requireNonNull(factors, "factors");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.stepUp = Objects.requireNonNull(stepUp, "stepUp");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.qrCodes = Objects.requireNonNull(qrCodes, "qrCodes");
        this.issuerName = Objects.requireNonNull(issuerName, "issuerName");
        this.random = Objects.requireNonNull(random, "random");
        this.audit = new MfaAudit(auditLog, ids, clock);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What {@link #start} answers, once.
     *
     * @param otpauthUri the {@code otpauth://totp/…} URI
     * @param secret the secret in base32, for typing into an app
     * @param qrSvg the URI as a QR code, an SVG document
     * @param expiresAt until when {@link #confirm} accepts a first code
     */
    public record Started(String otpauthUri, String secret, String qrSvg, Instant expiresAt) {

        /** Never prints the secret. */
        @Override
        public String toString() {
            return "Started[expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * Starts an enrolment.
     *
     * @param code a code of the active authenticator (replacement only), or {@code null}
     * @param recoveryCode a recovery code (replacement only), or {@code null}
     * @throws MfaException 401 {@link MfaException#proofRequired()} when replacing without either, 401
     *     {@link MfaException#invalidCode()} for a wrong one
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 for a first enrolment from a sign-in older
     *     than {@link StepUp#MAX_AGE}
     */
    public Started start(AuthenticatedUser caller, String code, String recoveryCode, RequestOrigin origin) {
        User user = user(caller);
        if (factors.findTotp(user.id()).isPresent()) {
            if (code == null && recoveryCode == null) {
                throw MfaException.proofRequired();
            }
            verifier.verify(user, code, recoveryCode, "re-enrolment", origin);
        } else {
            stepUp.require(caller);
        }
        byte[] secret = secrets.generate();
        try {
            Instant now = clock.instant();
            Instant expiresAt = now.plus(Duration.ofMinutes(PENDING_MINUTES));
            factors.savePending(new PendingTotp(user.id(), secrets.seal(user.id(), secret), now, expiresAt));
            String uri = OtpAuthUri.of(issuerName, user.email().display(), secret);
            audit.record(MfaAudit.ENROLMENT_STARTED, user, Outcome.SUCCESS, Map.of("method", "totp"), origin);
            return new Started(uri, Base32.encode(secret), qrCodes.svg(uri), expiresAt);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Confirms the pending enrolment with a first code.
     *
     * @return the {@value RecoveryCodes#COUNT} recovery codes, shown once
     * @throws MfaException 409 {@link MfaException#noPendingEnrolment()}, 401 {@link MfaException#invalidCode()}
     */
    public List<String> confirm(AuthenticatedUser caller, String code, RequestOrigin origin) {
        if (code == null) {
            throw MfaException.codeRequired();
        }
        User user = user(caller);
        Instant now = clock.instant();
        PendingTotp pending = factors.findPending(user.id()).filter(p -> now.isBefore(p.expiresAt()))
                .orElseThrow(MfaException::noPendingEnrolment);
        String key = SecondFactorVerifier.accountKey(user.id());
        if (!throttle.admit(origin.sourceIp().orElse("unknown"), key)) {
            failed(user, "locked", origin);
        }
        List<String> codes = RecoveryCodes.generate(random);
        Optional<List<String>> hashes = secrets.withSecret(user.id(), pending.secret(), secret -> {
            OptionalLong step = Totp.match(secret, code, Totp.step(now));
            return step.isEmpty() ? Optional.<List<String>>empty()
                    : Optional.of(activate(pending.secret(), user, step.getAsLong(), secret, codes, now));
        });
        if (hashes.isEmpty() || hashes.get().isEmpty()) {
            throttle.failed(key);
            failed(user, hashes.isEmpty() ? "wrong_code" : "pending_changed", origin);
        }
        throttle.succeeded(key);
        audit.record(MfaAudit.ENROLLED, user, Outcome.SUCCESS, Map.of("method", "totp"), origin);
        return codes;
    }

    private List<String> activate(SealedSecret sealed, User user, long step, byte[] secret, List<String> codes,
            Instant now) {
        List<String> hashes = RecoveryCodes.hashes(secret, codes);
        boolean activated = factors.activate(new TotpFactor(user.id(), sealed, now, Optional.of(now), step), hashes);
        return activated ? hashes : List.of();
    }

    private void failed(User user, String reason, RequestOrigin origin) {
        audit.record(MfaAudit.VERIFY_FAILED, user, Outcome.FAILURE,
                Map.of("reason", reason, "method", "totp", "purpose", "enrolment"), origin);
        throw MfaException.invalidCode();
    }

    private User user(AuthenticatedUser caller) {
        return users.findById(caller.userId()).orElseThrow(MfaException::notEnrolled);
    }
}
