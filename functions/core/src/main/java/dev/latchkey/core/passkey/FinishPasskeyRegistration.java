package dev.latchkey.core.passkey;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RecentAuthentication;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.ratelimit.RateLimiter;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Adds a passkey to a signed-in user (API.md {@code POST /v1/auth/passkeys/register/verify}; WebAuthn L3 §7.1).
 *
 * <p>Steps, in this order:
 * <ol>
 *   <li>input: the nickname and the response's JSON form (400, nothing spent);</li>
 *   <li>recent authentication: the token's {@code auth_time} within
 *       {@link PasskeyRegistrationLimits#recentAuthentication()} (default 5 minutes), else 401
 *       {@code insufficient_user_authentication} (RFC 9470) — a stolen live session cannot plant a passkey;</li>
 *   <li>the user's and the source IP's registration buckets (429);</li>
 *   <li>the user (404 when gone);</li>
 *   <li>the challenge is <b>spent</b> by one conditional delete, only if it is a registration challenge issued
 *       to this user: a replay, another user's challenge or a login challenge finds nothing (400
 *       {@code INVALID_CHALLENGE}); an expired one is spent and refused the same way;</li>
 *   <li>webauthn4j verifies type {@code webauthn.create}, challenge, origin, cross-origin, RP id hash, UP, UV
 *       per the policy, algorithm (ES256, EdDSA, RS256) and attestation form (400 with the failed check as
 *       {@code details.reason});</li>
 *   <li>the key is a sound key of its algorithm ({@link CoseKeyCheck}: 400 {@code KEY_*});</li>
 *   <li>the credential id must be free: one read of its lookup item. An id registered to anyone — this user,
 *       another user — or a login decoy ({@link DecoyCredentials#isDecoy}) gets the <b>same</b> 409
 *       {@code PASSKEY_EXISTS} after the same work, so registering under the ids login options show for an
 *       address no longer tells real passkeys from decoys (issue 20 §1). Another user's id or a decoy is an attack
 *       signal: a real authenticator never picks them; it is audited as {@code credential_id_unavailable} with
 *       {@code signal attack} (one reason for both, as the attacker can read the event in their own
 *       organization);</li>
 *   <li>the passkey, its credential-id lookup and {@code passkey.added} are written in one transaction (a
 *       parallel registration of the same id loses with the same 409);</li>
 *   <li>a notice goes to the user's address (purpose {@value #MAIL_PURPOSE}) with a link to review the
 *       passkeys; a mail failure does not undo the passkey.</li>
 * </ol>
 * Every failure after the user is read leaves {@code passkey.added} with outcome failure and the reason.
 */
public final class FinishPasskeyRegistration {

    /** The purpose of the new-passkey notice. */
    public static final String MAIL_PURPOSE = "passkey-added";

    private static final System.Logger LOG = System.getLogger(FinishPasskeyRegistration.class.getName());

    private final UserRepository users;
    private final PasskeyRepository passkeys;
    private final PasskeyChallenges challenges;
    private final PasskeyPolicy policy;
    private final DecoyCredentials decoys;
    private final RecentAuthentication recent;
    private final PasskeyRegistrationLimits limits;
    private final RateLimiter rateLimiter;
    private final Mailer mailer;
    private final URI reviewUrl;
    private final AuditLog auditLog;
    private final PasskeyAudit audit;
    private final IdGenerator ids;
    private final Clock clock;

    /**
     * @param users the accounts (the personal organization of the audit events)
     * @param passkeys where the passkey goes
     * @param challenges the issued challenges
     * @param policy RP id, origins, UV
     * @param decoys recognizes login decoy ids
     * @param limits recent-authentication window and registration limits
     * @param rateLimiter the registration buckets
     * @param mailer sends the new-passkey notice
     * @param reviewUrl where the notice points the user to review their passkeys
     * @param auditLog where failures go (successes go with the passkey's own transaction)
     * @param ids passkey and event ids
     * @param clock the time source
     */
    public FinishPasskeyRegistration(UserRepository users, PasskeyRepository passkeys, PasskeyChallenges challenges,
            PasskeyPolicy policy, DecoyCredentials decoys, PasskeyRegistrationLimits limits, RateLimiter rateLimiter,
            Mailer mailer, URI reviewUrl, AuditLog auditLog, IdGenerator ids, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.passkeys = Objects.requireNonNull(passkeys, "passkeys");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.decoys = Objects.requireNonNull(decoys, "decoys");
        this.recent = new RecentAuthentication(clock);
        this.limits = Objects.requireNonNull(limits, "limits");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.reviewUrl = Objects.requireNonNull(reviewUrl, "reviewUrl");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.audit = new PasskeyAudit(ids, clock);
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies the response and stores the passkey.
     *
     * @param caller the signed-in user
     * @param challengeId the {@code challenge_id} of the options
     * @param registrationResponseJson the credential's {@code toJSON()} ({@code RegistrationResponseJSON})
     * @param nickname the user's name for it; {@value PasskeyNickname#DEFAULT} when empty
     * @param origin the request
     * @return the new passkey
     * @throws PasskeyException 400 for a bad nickname, response, challenge or failed check; 404 when the user is
     *     gone; 409 when the credential id is registered already or is a decoy
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 when the caller's authentication is older
     *     than the window
     * @throws RateLimitedException 429 when the user or the source IP is over its registration limit
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public Passkey finish(AuthenticatedUser caller, String challengeId, String registrationResponseJson,
            Optional<String> nickname, RequestOrigin origin) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(nickname, "nickname");
        String name = PasskeyNickname.of(nickname);
        if (challengeId == null || !PasskeyChallenge.ID.matcher(challengeId).matches()) {
            throw PasskeyException.invalid("challenge_id", "INVALID_CHALLENGE", "Challenge is invalid or has expired.");
        }
        WebAuthnCeremonies.Response response = WebAuthnCeremonies.readRegistration(registrationResponseJson);
        recent.require(caller, limits.recentAuthentication());
        limit(PasskeyRegistrationLimits.USER_BUCKET + caller.userId(), limits);
        limit(PasskeyRegistrationLimits.IP_BUCKET + origin.sourceIp().orElse("unknown"), limits);
        User user = users.findById(caller.userId()).orElseThrow(PasskeyException::userNotFound);

        Optional<PasskeyChallenge> consumed = challenges.consume(challengeId, Ceremony.REGISTRATION,
                Optional.of(user.id()));
        Instant now = clock.instant();
        if (consumed.isEmpty()) {
            throw fail(user, PasskeyException.invalidChallenge("challenge_unknown"), origin);
        }
        PasskeyChallenge challenge = consumed.get();
        if (challenge.isExpiredAt(now)) {
            throw fail(user, PasskeyException.invalidChallenge("challenge_expired"), origin);
        }
        WebAuthnCeremonies.Registered registered;
        try {
            registered = WebAuthnCeremonies.verifyRegistration(policy, challenge, response);
        } catch (WebAuthnCeremonies.Failure e) {
            throw fail(user, PasskeyException.registrationFailed(e.reason()), origin);
        }
        Optional<Passkey> holder = passkeys.findByCredentialId(registered.credentialId());
        boolean decoy = decoys.isDecoy(registered.credentialId());
        if (holder.isPresent() || decoy) {
            boolean own = holder.isPresent() && holder.get().userId().equals(user.id());
            Map<String, String> signal = own ? Map.of("reason", "already_registered")
                    : Map.of("reason", "credential_id_unavailable", "signal", "attack");
            auditLog.record(audit.event(PasskeyAudit.ADDED, user, Optional.empty(), Outcome.FAILURE, signal, origin));
            throw PasskeyException.alreadyRegistered();
        }
        Passkey passkey = new Passkey(ids.next(IdPrefix.PASSKEY), user.id(), registered.credentialId(),
                challenge.userHandle().orElseThrow(), registered.publicKey(), registered.algorithm(),
                registered.signCount(), registered.userVerified(), registered.backupEligible(), registered.backedUp(),
                registered.transports(), registered.aaguid(), name, now, Optional.empty());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("algorithm", Integer.toString(passkey.algorithm()));
        details.put("aaguid", passkey.aaguid());
        details.put("backup_eligible", Boolean.toString(passkey.backupEligible()));
        details.put("user_verified", Boolean.toString(registered.userVerified()));
        try {
            passkeys.add(passkey, audit.event(PasskeyAudit.ADDED, user, Optional.of(passkey.id()), Outcome.SUCCESS,
                    details, origin));
        } catch (PasskeyException e) {
            throw fail(user, e, origin);
        }
        notify(user, passkey, origin);
        return passkey;
    }

    private void limit(String bucket, PasskeyRegistrationLimits limits) {
        RateLimitDecision decision = rateLimiter.consume(bucket,
                bucket.startsWith(PasskeyRegistrationLimits.USER_BUCKET) ? limits.perUser() : limits.perIp());
        if (!decision.allowed()) {
            throw new RateLimitedException(decision);
        }
    }

    /** Issue 20 §3: every new passkey is mailed to the account's address, so a planted one does not go unseen. */
    private void notify(User user, Passkey passkey, RequestOrigin origin) {
        String text = "A passkey was added to your account.\n\n"
                + "    Name:  " + passkey.nickname() + "\n"
                + "    Added: " + passkey.createdAt() + "\n"
                + "    From:  " + origin.sourceIp().orElse("an unknown address") + "\n\n"
                + "Review your passkeys at " + reviewUrl + " (GET with your access token) and remove any you do not"
                + " recognize (DELETE " + reviewUrl + "/{id}).\nIf you did not add it, reset your password and add"
                + " \"remove_passkeys_added_since\": \"" + passkey.createdAt() + "\" to the reset request: it removes"
                + " this passkey and every one added after it.\n";
        try {
            mailer.send(new MailMessage(user.email().mailbox(), "A passkey was added to your account", text,
                    MAIL_PURPOSE));
        } catch (MailException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "new-passkey notice for " + user.id() + " not sent: "
                    + e.getClass().getSimpleName());
        }
    }

    private PasskeyException fail(User user, PasskeyException e, RequestOrigin origin) {
        auditLog.record(audit.event(PasskeyAudit.ADDED, user, Optional.empty(), Outcome.FAILURE,
                Map.of("reason", e.reason()), origin));
        return e;
    }
}
