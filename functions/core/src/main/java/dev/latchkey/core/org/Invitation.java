package dev.latchkey.core.org;

import dev.latchkey.core.access.Role;
import java.time.Instant;
import java.util.Objects;

/**
 * An invitation to join an organization ({@code ORG#<orgId>} / {@code INVITATION#<invitationId>}).
 *
 * <p>{@link #toString()} masks the address: email addresses are personal data and stay out of logs.
 *
 * @param id {@code inv_…}
 * @param organizationId {@code org_…}
 * @param email the invitee's canonical address ({@link dev.latchkey.core.account.EmailAddress#canonical()}); only
 *     an account with this verified address can accept
 * @param role the role the invitee gets
 * @param state as stored
 * @param invitedBy the actor id of the inviter ({@code usr_…} or {@code key_…})
 * @param createdAt when it was made
 * @param expiresAt when it stops working ({@link Invitations#LIFETIME} after creation)
 * @param tokenHash lower-case hex SHA-256 of the token, the key of its lookup item; never shown
 */
public record Invitation(String id, String organizationId, String email, Role role, InvitationState state,
        String invitedBy, Instant createdAt, Instant expiresAt, String tokenHash) {

    /** Checks nothing is missing. */
    public Invitation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(invitedBy, "invitedBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(tokenHash, "tokenHash");
    }

    /** Whether it is pending and past its expiry at {@code now}. */
    public boolean expiredAt(Instant now) {
        return state == InvitationState.PENDING && !now.isBefore(expiresAt);
    }

    /** Whether it can still be accepted at {@code now}. */
    public boolean openAt(Instant now) {
        return state == InvitationState.PENDING && now.isBefore(expiresAt);
    }

    /** {@code pending}, {@code expired}, {@code accepted} or {@code revoked} at {@code now}. */
    public String status(Instant now) {
        return expiredAt(now) ? "expired" : state.text();
    }

    /** The same invitation in another state. */
    public Invitation withState(InvitationState value) {
        return new Invitation(id, organizationId, email, role, value, invitedBy, createdAt, expiresAt, tokenHash);
    }

    /** Ids, role and state; the address masked, no token hash. */
    @Override
    public String toString() {
        int at = email.indexOf('@');
        String masked = at > 0 ? email.charAt(0) + "***" + email.substring(at) : "***";
        return "Invitation[id=" + id + ", organizationId=" + organizationId + ", email=" + masked + ", role="
                + role.text() + ", state=" + state + ", expiresAt=" + expiresAt + "]";
    }
}
