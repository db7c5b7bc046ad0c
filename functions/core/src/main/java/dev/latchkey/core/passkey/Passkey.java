package dev.latchkey.core.passkey;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A user's registered passkey (a WebAuthn credential record, L3 §4 "credential record"), as stored: both the
 * management view and what a later assertion is verified against. Nothing in it is secret — the private key
 * never leaves the authenticator — but the API shows only the management fields ({@link #id}, nickname, times,
 * transports, AAGUID, backup flags); the public key, user handle and counter are for verification.
 *
 * @param id {@code pk_…} ({@code IdPrefix.PASSKEY}), what the management routes name
 * @param userId the owner ({@code usr_…})
 * @param credentialId the credential id, base64url without padding (unique across all users)
 * @param userHandle the owner's WebAuthn user handle ({@code user.id} at registration), base64url; an
 *     assertion's {@code userHandle} must equal it (L3 §7.2 step 6)
 * @param publicKey the credential public key in COSE_Key form (L3 §6.5.1.1), base64url
 * @param algorithm its COSE algorithm: -7 (ES256), -8 (EdDSA) or -257 (RS256)
 * @param signCount the last signature counter the authenticator reported (L3 §6.1.1); 0 when it keeps none
 * @param uvInitialized whether user verification has been performed with it (the UV flag at registration)
 * @param backupEligible the BE flag: whether it may be synced (a multi-device passkey); fixed for its lifetime
 * @param backedUp the BS flag at its last use: whether it is currently backed up
 * @param transports the transports the client reported ({@code internal}, {@code hybrid}, {@code usb}…), for
 *     {@code allowCredentials} / {@code excludeCredentials} hints
 * @param aaguid the authenticator model's AAGUID (all zeros under attestation {@code none} from most clients)
 * @param nickname the user's name for it, 1–{@value PasskeyNickname#MAX_LENGTH} characters
 * @param createdAt when it was registered
 * @param lastUsedAt when it last logged someone in; empty before its first login
 * @param suspectedCloneAt when a login showed a signature counter that did not go up (WebAuthn L3 §6.1.1: a sign
 *     the authenticator may have been cloned); while set, every login with it is refused until the user confirms
 *     it ({@link #cloneConfirmed()}) or removes it. Empty normally.
 */
public record Passkey(String id, String userId, String credentialId, String userHandle, String publicKey,
        int algorithm, long signCount, boolean uvInitialized, boolean backupEligible, boolean backedUp,
        List<String> transports, String aaguid, String nickname, Instant createdAt, Optional<Instant> lastUsedAt,
        Optional<Instant> suspectedCloneAt) {

    /** The shape of {@link #id}. */
    public static final Pattern ID = Pattern.compile("pk_[0-9A-HJKMNP-TV-Z]{26}");
    /** base64url without padding. */
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    /** The signature counter is an unsigned 32-bit number. */
    private static final long MAX_SIGN_COUNT = 0xFFFF_FFFFL;

    /** Checks the fields. */
    public Passkey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(userHandle, "userHandle");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(aaguid, "aaguid");
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Objects.requireNonNull(suspectedCloneAt, "suspectedCloneAt");
        transports = List.copyOf(Objects.requireNonNull(transports, "transports"));
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("passkey id must match " + ID.pattern());
        }
        if (!userId.startsWith("usr_")) {
            throw new IllegalArgumentException("user id must start with usr_");
        }
        if (!BASE64URL.matcher(credentialId).matches() || !BASE64URL.matcher(userHandle).matches()
                || !BASE64URL.matcher(publicKey).matches()) {
            throw new IllegalArgumentException("credential id, user handle and public key must be base64url");
        }
        if (signCount < 0 || signCount > MAX_SIGN_COUNT) {
            throw new IllegalArgumentException("signCount must be an unsigned 32-bit number");
        }
    }

    /** A passkey not suspected of being cloned. */
    public Passkey(String id, String userId, String credentialId, String userHandle, String publicKey,
            int algorithm, long signCount, boolean uvInitialized, boolean backupEligible, boolean backedUp,
            List<String> transports, String aaguid, String nickname, Instant createdAt, Optional<Instant> lastUsedAt) {
        this(id, userId, credentialId, userHandle, publicKey, algorithm, signCount, uvInitialized, backupEligible,
                backedUp, transports, aaguid, nickname, createdAt, lastUsedAt, Optional.empty());
    }

    /** Whether it is suspected of being cloned (and refused until confirmed or removed). */
    public boolean suspectedClone() {
        return suspectedCloneAt.isPresent();
    }

    /** The same passkey marked as suspected-cloned at {@code at}. */
    public Passkey suspectedCloneSince(Instant at) {
        return new Passkey(id, userId, credentialId, userHandle, publicKey, algorithm, signCount, uvInitialized,
                backupEligible, backedUp, transports, aaguid, nickname, createdAt, lastUsedAt, Optional.of(at));
    }

    /**
     * The same passkey after its owner confirmed it is theirs: the mark goes and the counter starts again from 0, so
     * the genuine authenticator's next counter is accepted even after a clone pushed the stored one to its maximum.
     */
    public Passkey cloneConfirmed() {
        return new Passkey(id, userId, credentialId, userHandle, publicKey, algorithm, 0, uvInitialized,
                backupEligible, backedUp, transports, aaguid, nickname, createdAt, lastUsedAt, Optional.empty());
    }

    /** The record after a successful login: counter, backup state, UV and last use from that assertion. */
    public Passkey used(long newSignCount, boolean newBackedUp, boolean userVerified, Instant at) {
        return new Passkey(id, userId, credentialId, userHandle, publicKey, algorithm, newSignCount,
                uvInitialized || userVerified, backupEligible, newBackedUp, transports, aaguid, nickname, createdAt,
                Optional.of(at), suspectedCloneAt);
    }

    /** The same passkey under another nickname. */
    public Passkey renamed(String newNickname) {
        return new Passkey(id, userId, credentialId, userHandle, publicKey, algorithm, signCount, uvInitialized,
                backupEligible, backedUp, transports, aaguid, newNickname, createdAt, lastUsedAt, suspectedCloneAt);
    }

    /** Ids and flags only. */
    @Override
    public String toString() {
        return "Passkey[" + id + ", user=" + userId + ", alg=" + algorithm + ", signCount=" + signCount
                + ", backupEligible=" + backupEligible + ", backedUp=" + backedUp
                + ", suspectedClone=" + suspectedClone() + "]";
    }
}
