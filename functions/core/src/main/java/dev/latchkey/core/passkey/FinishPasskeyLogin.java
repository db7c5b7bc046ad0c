package dev.latchkey.core.passkey;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Passkey login (API.md {@code POST /v1/auth/passkeys/login/verify}; WebAuthn L3 §7.2): the same token response
 * as a password login, with {@code amr ["hwk", "user", "mfa"]} when the authenticator verified the user (a
 * possession factor plus a PIN or biometric: RFC 8176 {@code mfa}, docs/mfa.md), {@code ["hwk"]} when the policy
 * only prefers UV and it did not.
 *
 * <p>Steps, in this order:
 * <ol>
 *   <li>input: the challenge id and the response's JSON form present and well-formed (400);</li>
 *   <li>the source IP's own bucket {@code passkey:ip:<ip>} (429) — <em>not</em> the password throttle: a
 *       password lockout of the account neither slows nor blocks its passkeys;</li>
 *   <li>the challenge is <b>spent</b> by one conditional delete, only if it is a login challenge (a replayed
 *       response, a registration challenge or an unknown id finds nothing); an expired one is spent and
 *       refused;</li>
 *   <li>the credential by id, in one read of its lookup item, then its user. An unknown id does the same work —
 *       a read of a placeholder user and a full verification against a dummy key no one holds — before it fails,
 *       so the time does not tell real ids from decoys (issue 20 §2, measured in docs/passkeys.md);</li>
 *   <li>a challenge issued for an email must belong to the credential's user (§7.2 step 5); the response's
 *       {@code userHandle}, when present, must be the user's handle, and must be present for a usernameless
 *       login (§7.2 step 6);</li>
 *   <li>a passkey suspected of being cloned is refused ({@code suspected_clone}) until its owner confirms it;</li>
 *   <li>webauthn4j verifies type {@code webauthn.get}, challenge, origin, cross-origin, RP id hash, UP, UV per the
 *       policy, the signature with the stored public key and the counter (a counter not above the stored one,
 *       when either is nonzero, is a cloned authenticator: refused, and the passkey marked suspected-cloned,
 *       audited {@code passkey.suspected_clone} and its owner mailed);</li>
 *   <li>counter, backup state and last use are written only if the stored counter did not move meanwhile;</li>
 *   <li>{@link StartSession} in the user's personal organization; {@code auth.passkey.succeeded}.</li>
 * </ol>
 * Every failure after step 2 is the same 401 ({@link PasskeyException#authenticationFailed(String)}) and leaves
 * {@code auth.passkey.failed} with the reason: in the user's organization once the credential named one, else in
 * the system partition.
 */
public final class FinishPasskeyLogin {

    /** The authentication methods of a passkey login with user verification (RFC 8176). */
    public static final List<String> AMR_VERIFIED = List.of("hwk", "user", "mfa");
    /** The authentication methods of a passkey login without user verification. */
    public static final List<String> AMR_PRESENCE = List.of("hwk");
    /** Verify calls one source IP may make per minute. */
    public static final RateLimit DEFAULT_IP_LIMIT = RateLimit.perSeconds(30, 60);
    /** Bucket prefix of {@link #DEFAULT_IP_LIMIT}. */
    public static final String BUCKET_PREFIX = "passkey:ip:";

    /** The purpose of the suspected-clone notice. */
    public static final String MAIL_PURPOSE = "passkey-suspected-clone";

    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    private static final System.Logger LOG = System.getLogger(FinishPasskeyLogin.class.getName());

    private final UserRepository users;
    private final PasskeyRepository passkeys;
    private final PasskeyChallenges challenges;
    private final StartSession sessions;
    private final RateLimiter rateLimiter;
    private final RateLimit ipLimit;
    private final PasskeyPolicy policy;
    private final Passkey dummy;
    private final Mailer mailer;
    private final URI reviewUrl;
    private final AuditLog auditLog;
    private final PasskeyAudit audit;
    private final Clock clock;

    /**
     * @param users the accounts (profile and personal organization)
     * @param passkeys the credentials
     * @param challenges the issued challenges
     * @param sessions starts the session
     * @param rateLimiter the per-IP limit
     * @param ipLimit calls per source IP ({@link #DEFAULT_IP_LIMIT})
     * @param policy RP id, origins, UV
     * @param mailer sends the suspected-clone notice
     * @param reviewUrl where the notice points the user to review their passkeys
     * @param auditLog where {@code auth.passkey.*} goes
     * @param ids event ids
     * @param clock the time source
     */
    public FinishPasskeyLogin(UserRepository users, PasskeyRepository passkeys, PasskeyChallenges challenges,
            StartSession sessions, RateLimiter rateLimiter, RateLimit ipLimit, PasskeyPolicy policy, Mailer mailer,
            URI reviewUrl, AuditLog auditLog, IdGenerator ids, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.passkeys = Objects.requireNonNull(passkeys, "passkeys");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.ipLimit = Objects.requireNonNull(ipLimit, "ipLimit");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.dummy = WebAuthnCeremonies.dummyPasskey(new java.security.SecureRandom());
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.reviewUrl = Objects.requireNonNull(reviewUrl, "reviewUrl");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.audit = new PasskeyAudit(ids, clock);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Logs in.
     *
     * @param challengeId the {@code challenge_id} of the options
     * @param authenticationResponseJson the credential's {@code toJSON()} ({@code AuthenticationResponseJSON})
     * @param origin the request (source IP for the limit and the audit event)
     * @return the token response of the new session
     * @throws AccountException 400 when the challenge id is missing
     * @throws PasskeyException 400 when the response is not a WebAuthn response in JSON form; 401 for every
     *     failed login
     * @throws RateLimitedException 429 when the source IP is over its limit
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (never a login on error)
     */
    public TokenResponse finish(String challengeId, String authenticationResponseJson, RequestOrigin origin) {
        if (challengeId == null) {
            throw AccountException.required("challenge_id");
        }
        WebAuthnCeremonies.Response response = WebAuthnCeremonies.readAuthentication(authenticationResponseJson);
        RateLimitDecision decision = rateLimiter.consume(BUCKET_PREFIX + origin.sourceIp().orElse("unknown"),
                ipLimit);
        if (!decision.allowed()) {
            throw new RateLimitedException(decision);
        }
        if (!PasskeyChallenge.ID.matcher(challengeId).matches()) {
            throw anonymousFailure("challenge_unknown", origin);
        }
        Optional<PasskeyChallenge> consumed = challenges.consume(challengeId, Ceremony.AUTHENTICATION,
                Optional.empty());
        if (consumed.isEmpty()) {
            throw anonymousFailure("challenge_unknown", origin);
        }
        PasskeyChallenge challenge = consumed.get();
        if (challenge.isExpiredAt(clock.instant())) {
            throw anonymousFailure("challenge_expired", origin);
        }
        Optional<Passkey> found = passkeys.findByCredentialId(response.credentialId());
        if (found.isEmpty()) {
            // Issue 20 §2: the same work as for a real id — a user read and a full verification (against a key no
            // one holds, so it fails) — before the same 401.
            users.findById(PasskeyChallenge.UNKNOWN_USER);
            try {
                WebAuthnCeremonies.verifyAuthentication(policy, challenge, response, dummy);
            } catch (WebAuthnCeremonies.Failure expected) {
                // Always: no one holds the dummy's private key.
            }
            throw anonymousFailure("credential_unknown", origin);
        }
        Passkey passkey = found.get();
        Optional<User> owner = users.findById(passkey.userId());
        if (owner.isEmpty()) {
            throw anonymousFailure("user_unknown", origin);
        }
        User user = owner.get();
        if (user.disabled()) {
            throw failure(user, passkey, "user_disabled", origin);
        }
        if (challenge.userId().isPresent() && !challenge.userId().get().equals(user.id())) {
            throw failure(user, passkey, "user_mismatch", origin);
        }
        if (response.userHandle().isPresent()) {
            if (!MessageDigest.isEqual(BASE64URL.decode(response.userHandle().get()),
                    BASE64URL.decode(passkey.userHandle()))) {
                throw failure(user, passkey, "user_handle_mismatch", origin);
            }
        } else if (challenge.userId().isEmpty()) {
            throw failure(user, passkey, "user_handle_missing", origin);
        }
        if (passkey.suspectedClone()) {
            throw failure(user, passkey, "suspected_clone", origin);
        }
        WebAuthnCeremonies.Asserted asserted;
        try {
            asserted = WebAuthnCeremonies.verifyAuthentication(policy, challenge, response, passkey);
        } catch (WebAuthnCeremonies.Failure e) {
            if ("counter_regression".equals(e.reason())) {
                markSuspectedClone(user, passkey, origin);
            }
            throw failure(user, passkey, e.reason(), origin);
        }
        Instant now = clock.instant();
        Passkey used = passkey.used(asserted.signCount(), asserted.backedUp(), asserted.userVerified(), now);
        if (!passkeys.recordUse(used, passkey.signCount())) {
            throw failure(user, passkey, "counter_race", origin);
        }
        List<String> amr = asserted.userVerified() ? AMR_VERIFIED : AMR_PRESENCE;
        TokenResponse tokens = sessions.start(new StartSessionCommand(
                new UserProfile(user.id(), user.email().display(), user.name()), user.personalOrganizationId(), amr,
                origin.sourceIp().orElse(""), origin.requestId()));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("method", "passkey");
        details.put("session", tokens.sessionId());
        details.put("user_verified", Boolean.toString(asserted.userVerified()));
        details.put("backed_up", Boolean.toString(asserted.backedUp()));
        auditLog.record(audit.event(PasskeyAudit.LOGIN_SUCCEEDED, user, Optional.of(passkey.id()), Outcome.SUCCESS,
                details, origin));
        return tokens;
    }

    /**
     * Issue 20 §4: a valid signature whose counter did not go up means two authenticators hold the key (L3 §6.1.1).
     * Whichever is the clone, the credential is marked and refused until its owner confirms or removes it — so a
     * clone that pushed the counter to 2^32−1 does not lock the genuine authenticator out for good, nor keep
     * working itself; {@code passkey.suspected_clone} is audited and the owner mailed.
     */
    private void markSuspectedClone(User user, Passkey passkey, RequestOrigin origin) {
        Instant now = clock.instant();
        passkeys.updateCloneState(passkey.suspectedCloneSince(now), audit.event(PasskeyAudit.SUSPECTED_CLONE, user,
                Optional.of(passkey.id()), Outcome.SUCCESS, Map.of("stored_sign_count",
                        Long.toString(passkey.signCount())), origin));
        String text = "A sign-in with your passkey \"" + passkey.nickname() + "\" reported a signature counter"
                + " that did not go up (" + now + ", from " + origin.sourceIp().orElse("an unknown address") + ").\n"
                + "That happens when the passkey has been copied to another device. It is blocked until you review it"
                + ":\n\n    " + reviewUrl + "\n\nIf the passkey is yours and you trust every device holding it, confirm"
                + " it (PATCH " + reviewUrl + "/{id} {\"suspected_clone\": false}); otherwise remove it (DELETE) and"
                + " reset your password.\n";
        try {
            mailer.send(new MailMessage(user.email().mailbox(), "A passkey on your account was blocked", text,
                    MAIL_PURPOSE));
        } catch (MailException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "suspected-clone notice for " + user.id() + " not sent: "
                    + e.getClass().getSimpleName());
        }
    }

    private PasskeyException anonymousFailure(String reason, RequestOrigin origin) {
        auditLog.record(audit.anonymous(PasskeyAudit.LOGIN_FAILED, Outcome.FAILURE,
                Map.of("method", "passkey", "reason", reason), origin));
        return PasskeyException.authenticationFailed(reason);
    }

    private PasskeyException failure(User user, Passkey passkey, String reason, RequestOrigin origin) {
        auditLog.record(audit.event(PasskeyAudit.LOGIN_FAILED, user, Optional.of(passkey.id()), Outcome.FAILURE,
                Map.of("method", "passkey", "reason", reason), origin));
        return PasskeyException.authenticationFailed(reason);
    }
}
