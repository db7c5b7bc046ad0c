package dev.latchkey.core.passkey;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RecentAuthentication;
import dev.latchkey.core.principal.RequestOrigin;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The registration options of a signed-in user (API.md {@code POST /v1/auth/passkeys/register/options}):
 * {@code PublicKeyCredentialCreationOptionsJSON} (WebAuthn L3 §5.4) with
 * <ul>
 *   <li>a fresh challenge of {@value PasskeyChallenge#CHALLENGE_BYTES} random bytes, stored with its expiry
 *       and bound to the user (§13.4.3);</li>
 *   <li>{@code user.id} = the user's random handle ({@value #USER_HANDLE_BYTES} bytes, §14.6.1: never the email
 *       or the user id), made on the first registration and reused after; {@code user.name} = the email,
 *       {@code user.displayName} = the name;</li>
 *   <li>{@code pubKeyCredParams} ES256 (-7), EdDSA (-8), RS256 (-257);</li>
 *   <li>{@code excludeCredentials} = every passkey the user has, so an authenticator that holds one of them
 *       refuses to make a second (§5.4.3);</li>
 *   <li>{@code authenticatorSelection}: {@code residentKey "preferred"} (a discoverable credential, so the user
 *       can later log in without typing anything), {@code userVerification} from the policy;
 *       {@code attestation "none"}.</li>
 * </ul>
 * The caller must have authenticated recently ({@link PasskeyRegistrationLimits#recentAuthentication()}, RFC 9470):
 * checked here so the client learns before the authenticator runs that the user has to sign in again, and again at
 * verify. Requests: a user read, a handle read (plus a conditional put the first time), the user's passkeys, the
 * challenge put.
 */
public final class StartPasskeyRegistration {

    /** Random bytes of a user handle (L3 §14.6.1 recommends 64). */
    public static final int USER_HANDLE_BYTES = 64;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final UserRepository users;
    private final PasskeyRepository passkeys;
    private final PasskeyChallenges challenges;
    private final PasskeyPolicy policy;
    private final PasskeyRegistrationLimits limits;
    private final RecentAuthentication recent;
    private final SecureRandom random;
    private final Clock clock;

    /**
     * @param users the accounts (email and name for {@code user})
     * @param passkeys the user handle and the passkeys to exclude
     * @param challenges where the challenge is stored
     * @param policy RP, UV and challenge lifetime
     * @param limits the recent-authentication window
     * @param random challenges, challenge ids and user handles
     * @param clock the time source
     */
    public StartPasskeyRegistration(UserRepository users, PasskeyRepository passkeys, PasskeyChallenges challenges,
            PasskeyPolicy policy, PasskeyRegistrationLimits limits, SecureRandom random, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.passkeys = Objects.requireNonNull(passkeys, "passkeys");
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.recent = new RecentAuthentication(clock);
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Issues the options.
     *
     * @param caller the signed-in user (from the bearer token)
     * @param origin the request, unused but for symmetry with the other use cases
     * @throws PasskeyException 404 {@link PasskeyException#userNotFound()} when the user no longer exists
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 when the caller's authentication is older
     *     than the window
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public PasskeyOptions start(AuthenticatedUser caller, RequestOrigin origin) {
        Objects.requireNonNull(caller, "caller");
        recent.require(caller, limits.recentAuthentication());
        User user = users.findById(caller.userId()).orElseThrow(PasskeyException::userNotFound);
        byte[] candidate = new byte[USER_HANDLE_BYTES];
        random.nextBytes(candidate);
        String userHandle = passkeys.userHandle(user.id(), BASE64URL.encodeToString(candidate));
        List<Passkey> existing = passkeys.findByUser(user.id());
        Instant now = clock.instant();
        PasskeyChallenge challenge = new PasskeyChallenge(PasskeyChallenge.newId(random), Ceremony.REGISTRATION,
                PasskeyChallenge.newChallenge(random), Optional.of(user.id()), Optional.of(userHandle), now,
                expiry(now, policy));
        challenges.save(challenge);

        Map<String, Object> options = new LinkedHashMap<>();
        options.put("rp", Map.of("id", policy.rpId(), "name", policy.rpName()));
        Map<String, Object> userEntity = new LinkedHashMap<>();
        userEntity.put("id", userHandle);
        userEntity.put("name", user.email().display());
        userEntity.put("displayName", user.name());
        options.put("user", userEntity);
        options.put("challenge", challenge.challenge());
        List<Object> parameters = new ArrayList<>();
        for (int algorithm : WebAuthnCeremonies.ALGORITHMS) {
            Map<String, Object> parameter = new LinkedHashMap<>();
            parameter.put("type", "public-key");
            parameter.put("alg", algorithm);
            parameters.add(parameter);
        }
        options.put("pubKeyCredParams", parameters);
        options.put("timeout", policy.challengeLifetime().toMillis());
        options.put("excludeCredentials", descriptors(existing));
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("residentKey", "preferred");
        selection.put("requireResidentKey", false);
        selection.put("userVerification", policy.userVerification());
        options.put("authenticatorSelection", selection);
        options.put("attestation", "none");
        return new PasskeyOptions(challenge.id(), options);
    }

    /** {@code PublicKeyCredentialDescriptorJSON}s (L3 §5.8.3): type, id and, when known, transports. */
    static List<Object> descriptors(List<Passkey> passkeys) {
        List<Object> descriptors = new ArrayList<>();
        for (Passkey passkey : passkeys) {
            descriptors.add(descriptor(passkey.credentialId(), passkey.transports()));
        }
        return descriptors;
    }

    static Map<String, Object> descriptor(String credentialId, List<String> transports) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("type", "public-key");
        descriptor.put("id", credentialId);
        if (!transports.isEmpty()) {
            descriptor.put("transports", transports);
        }
        return descriptor;
    }

    /** A challenge's expiry, to the second (it is also the item's TTL, stored in epoch seconds). */
    static Instant expiry(Instant now, PasskeyPolicy policy) {
        return now.plus(policy.challengeLifetime()).truncatedTo(ChronoUnit.SECONDS);
    }
}
