package dev.latchkey.core.passkey;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
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
 *   <li>the user (404 when gone);</li>
 *   <li>the challenge is <b>spent</b> by one conditional delete, only if it is a registration challenge issued
 *       to this user: a replay, another user's challenge or a login challenge finds nothing (400
 *       {@code INVALID_CHALLENGE}); an expired one is spent and refused the same way;</li>
 *   <li>webauthn4j verifies type {@code webauthn.create}, challenge, origin, cross-origin, RP id hash, UP, UV
 *       per the policy, algorithm (ES256, EdDSA, RS256) and attestation form (400 with the failed check as
 *       {@code details.reason});</li>
 *   <li>the passkey, its credential-id lookup and {@code passkey.added} are written in one transaction; a
 *       credential id already registered — to this user or any other — is refused (409).</li>
 * </ol>
 * Every failure after step 2 leaves {@code passkey.added} with outcome failure and the reason.
 */
public final class FinishPasskeyRegistration {

    private final UserRepository users;
    private final PasskeyRepository passkeys;
    private final PasskeyChallenges challenges;
    private final PasskeyPolicy policy;
    private final AuditLog auditLog;
    private final PasskeyAudit audit;
    private final IdGenerator ids;
    private final Clock clock;

    /**
     * @param users the accounts (the personal organization of the audit events)
     * @param passkeys where the passkey goes
     * @param challenges the issued challenges
     * @param policy RP id, origins, UV
     * @param auditLog where failures go (successes go with the passkey's own transaction)
     * @param ids passkey and event ids
     * @param clock the time source
     */
    public FinishPasskeyRegistration(UserRepository users, PasskeyRepository passkeys, PasskeyChallenges challenges,
            PasskeyPolicy policy, AuditLog auditLog, IdGenerator ids, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.passkeys = Objects.requireNonNull(passkeys, "passkeys");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.policy = Objects.requireNonNull(policy, "policy");
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
     *     gone; 409 when the credential is registered already
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
        return passkey;
    }

    private PasskeyException fail(User user, PasskeyException e, RequestOrigin origin) {
        auditLog.record(audit.event(PasskeyAudit.ADDED, user, Optional.empty(), Outcome.FAILURE,
                Map.of("reason", e.reason()), origin));
        return e;
    }
}
