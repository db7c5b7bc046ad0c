package dev.latchkey.core.passkey;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.core.vault.Peppers;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The login options (API.md {@code POST /v1/auth/passkeys/login/options}):
 * {@code PublicKeyCredentialRequestOptionsJSON} (WebAuthn L3 §5.5) with a fresh challenge of
 * {@value PasskeyChallenge#CHALLENGE_BYTES} random bytes stored with its expiry, {@code rpId},
 * {@code userVerification} from the policy, and {@code allowCredentials}:
 * <ul>
 *   <li><b>no email</b>: empty — a usernameless login: the browser offers every passkey it has for the RP and
 *       the response's {@code userHandle} and credential id say whose it is;</li>
 *   <li><b>an email with passkeys</b>: that user's credentials, and the challenge is bound to the user (a
 *       credential of anyone else fails at verify);</li>
 *   <li><b>an email without passkeys, or of no account</b>: one decoy credential, so the answer looks like a
 *       known user's — the id is {@link DecoyCredentials#idFor}: 32 bytes (the size of most platform credential
 *       ids) derived under the {@code passkey-decoy} pepper from the canonical email, with a tag that lets
 *       registration recognize it, with transports {@code hybrid} and {@code internal}. It is
 *       deterministic, so asking twice gives the same answer, as it does for a real user; no authenticator holds
 *       it, so the ceremony fails in the browser. The challenge is bound to {@link PasskeyChallenge#UNKNOWN_USER}
 *       or to the user, so no credential can complete it for someone else. The same requests are made either way
 *       (the account lookup reads a placeholder for an unknown address, the passkey query reads the placeholder
 *       user).</li>
 * </ul>
 * The address is parsed like the password login's (400 when it is none). Rate limit: the source IP's bucket
 * {@code passkey-options:ip:<ip>} (429).
 */
public final class StartPasskeyLogin {

    /** The options calls one source IP may make per minute. */
    public static final RateLimit DEFAULT_IP_LIMIT = RateLimit.perSeconds(60, 60);
    /** Bucket prefix of {@link #DEFAULT_IP_LIMIT}. */
    public static final String BUCKET_PREFIX = "passkey-options:ip:";
    /** Transports a decoy credential claims: those of a typical synced platform passkey. */
    static final List<String> DECOY_TRANSPORTS = List.of("hybrid", "internal");


    private final UserRepository users;
    private final PasskeyRepository passkeys;
    private final PasskeyChallenges challenges;
    private final Peppers peppers;
    private final RateLimiter rateLimiter;
    private final RateLimit ipLimit;
    private final PasskeyPolicy policy;
    private final SecureRandom random;
    private final Clock clock;

    /**
     * @param users the accounts, for a login that names an email
     * @param passkeys the named user's credentials
     * @param challenges where the challenge is stored
     * @param peppers the {@code passkey-decoy} pepper
     * @param rateLimiter per-IP limit
     * @param ipLimit calls per source IP ({@link #DEFAULT_IP_LIMIT})
     * @param policy RP id, UV, challenge lifetime
     * @param random challenges and ids
     * @param clock the time source
     */
    public StartPasskeyLogin(UserRepository users, PasskeyRepository passkeys, PasskeyChallenges challenges,
            Peppers peppers, RateLimiter rateLimiter, RateLimit ipLimit, PasskeyPolicy policy, SecureRandom random,
            Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.passkeys = Objects.requireNonNull(passkeys, "passkeys");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.peppers = Objects.requireNonNull(peppers, "peppers");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.ipLimit = Objects.requireNonNull(ipLimit, "ipLimit");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Issues the options.
     *
     * @param email the address typed, or empty for a usernameless login
     * @param origin the request (its source IP is the rate-limit bucket)
     * @throws dev.latchkey.core.account.AccountException 400 when {@code email} is no address
     * @throws RateLimitedException 429 when the source IP is over its limit
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public PasskeyOptions start(Optional<String> email, RequestOrigin origin) {
        Objects.requireNonNull(email, "email");
        Optional<EmailAddress> address = email.map(EmailAddress::parse);
        RateLimitDecision decision = rateLimiter.consume(BUCKET_PREFIX + origin.sourceIp().orElse("unknown"),
                ipLimit);
        if (!decision.allowed()) {
            throw new RateLimitedException(decision);
        }
        Optional<String> boundUser = Optional.empty();
        List<Object> allowCredentials = List.of();
        if (address.isPresent()) {
            Optional<User> user = users.findByEmail(address.get().canonical());
            String userId = user.map(User::id).orElse(PasskeyChallenge.UNKNOWN_USER);
            List<Passkey> found = passkeys.findByUser(userId);
            String decoy = decoyCredentialId(address.get().canonical());
            allowCredentials = found.isEmpty()
                    ? List.of(StartPasskeyRegistration.descriptor(decoy, DECOY_TRANSPORTS))
                    : StartPasskeyRegistration.descriptors(found);
            boundUser = Optional.of(userId);
        }
        Instant now = clock.instant();
        PasskeyChallenge challenge = new PasskeyChallenge(PasskeyChallenge.newId(random), Ceremony.AUTHENTICATION,
                PasskeyChallenge.newChallenge(random), boundUser, Optional.empty(), now,
                StartPasskeyRegistration.expiry(now, policy));
        challenges.save(challenge);

        Map<String, Object> options = new LinkedHashMap<>();
        options.put("challenge", challenge.challenge());
        options.put("timeout", policy.challengeLifetime().toMillis());
        options.put("rpId", policy.rpId());
        options.put("allowCredentials", allowCredentials);
        options.put("userVerification", policy.userVerification());
        return new PasskeyOptions(challenge.id(), options);
    }

    /** The decoy credential id of an address ({@link DecoyCredentials}). */
    String decoyCredentialId(String canonicalEmail) {
        return new DecoyCredentials(peppers).idFor(canonicalEmail);
    }
}
