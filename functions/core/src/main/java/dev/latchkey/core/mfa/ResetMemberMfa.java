package dev.latchkey.core.mfa;

import dev.latchkey.core.access.MembershipDirectory;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import java.util.Objects;

/**
 * {@code DELETE /v1/orgs/{orgId}/members/{userId}/mfa} (issue 14 item 7; docs/mfa.md "Administrator reset"): an
 * owner or admin of an organization removes a member's second factor — the member lost their phone and their
 * recovery codes. The route has authorized {@code member:remove} in the path's organization (and the organization's
 * own {@code require_mfa} for the caller); then, in this order:
 *
 * <ol>
 *   <li>the caller is a signed-in user (an API key cannot step up: 403 {@code USER_REQUIRED});</li>
 *   <li>step-up ({@link StepUp}): a sign-in within 10 minutes, with the caller's own second factor when they have
 *       one (401 {@code insufficient_user_authentication});</li>
 *   <li>the user is a member of <em>this</em> organization, read strongly consistently — anyone else, whether or not
 *       the account exists, is 404 {@code NOT_FOUND}: an administrator never reaches outside their
 *       organization;</li>
 *   <li>the member's role is one the caller could grant ({@link Role#grantableWith}, as for removing a member):
 *       an admin never resets an owner (403 {@code ROLE_NOT_GRANTABLE});</li>
 *   <li>{@link ManageMfa#reset}: the factor and its recovery codes are removed (404 when there is none),
 *       {@code mfa.reset} is audited in the organization with the administrator as actor, and the member is
 *       mailed.</li>
 * </ol>
 * The second factor belongs to the account, not to the organization: the reset counts in every organization the
 * member belongs to. That is why the member is always mailed, and why the role rule applies.
 */
public final class ResetMemberMfa {

    private final MembershipDirectory memberships;
    private final StepUp stepUp;
    private final ManageMfa mfa;

    /**
     * @param memberships the target's membership in the organization
     * @param stepUp the administrator's recent multi-factor sign-in
     * @param mfa removes the factor, audits, mails
     */
    public ResetMemberMfa(MembershipDirectory memberships, StepUp stepUp, ManageMfa mfa) {
        this.memberships = Objects.requireNonNull(memberships, "memberships");
        this.stepUp = Objects.requireNonNull(stepUp, "stepUp");
        this.mfa = Objects.requireNonNull(mfa, "mfa");
    }

    /**
     * Resets a member's second factor.
     *
     * @param access the administrator, authorized for {@code member:remove} in the organization of the path
     * @param memberUserId the path's {@code {userId}}
     * @throws MfaException 403 {@code USER_REQUIRED} for an API key, 403 {@code ROLE_NOT_GRANTABLE}, 404 when the
     *     member has no second factor
     * @throws AccessException 404 when the user is no member of the organization
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 without a recent (multi-factor) sign-in
     */
    public void reset(OrgAccess access, String memberUserId, RequestOrigin origin) {
        Objects.requireNonNull(memberUserId, "memberUserId");
        if (!(access.caller() instanceof Caller.User admin)) {
            throw MfaException.userRequired();
        }
        stepUp.require(admin.authenticated());
        Role role = memberships.role(access.organizationId(), memberUserId).orElseThrow(AccessException::notFound);
        if (!role.grantableWith(access.held())) {
            throw MfaException.roleNotGrantable(role.text());
        }
        mfa.reset(access.organizationId(), admin.userId(), memberUserId, origin);
    }
}
