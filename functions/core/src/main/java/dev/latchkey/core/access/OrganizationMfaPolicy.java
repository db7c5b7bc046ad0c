package dev.latchkey.core.access;

import java.util.List;
import java.util.Objects;

/**
 * The one check of an organization's {@code require_mfa} (issue 14 item 5; docs/mfa.md "Organization policy"), asked
 * by everything that hands a user access scoped to an organization: the {@link Authorizer} (every management route
 * of the organization, in every function) and the grant model for resource tokens
 * ({@code resource.GrantedScopes#forUser}). Nothing else decides it.
 *
 * <p>A user passes when the organization does not require a second factor, or when the sign-in behind the token was
 * multi-factor: its {@code amr} holds {@value #AMR_MFA} (RFC 8176 §2; Latchkey adds it for password + TOTP, password
 * + recovery code and a passkey with user verification). Otherwise {@link MfaRequiredException}: 403
 * {@code MFA_REQUIRED} with the enrolment link for a user without a second factor, 401
 * {@code insufficient_user_authentication} (RFC 9470) for one who has a factor but did not sign in with it. API keys
 * and service clients are no members and no sign-ins: the policy is about people.
 */
public final class OrganizationMfaPolicy {

    /** The RFC 8176 {@code amr} value of a multi-factor sign-in. */
    public static final String AMR_MFA = "mfa";

    private final SecondFactors factors;

    /** @param factors whether a refused user has a second factor (read only on a refusal) */
    public OrganizationMfaPolicy(SecondFactors factors) {
        this.factors = Objects.requireNonNull(factors, "factors");
    }

    /**
     * Checks one user's sign-in against the policy of an organization they are a member of.
     *
     * @param membership the user's membership, with the organization's {@code require_mfa}
     * @param userId the user
     * @param amr the {@code amr} of the user's sign-in (the access token's, or the session's)
     * @throws MfaRequiredException when the organization requires a second factor and the sign-in had none
     */
    public void check(Membership membership, String userId, List<String> amr) {
        Objects.requireNonNull(membership, "membership");
        Objects.requireNonNull(userId, "userId");
        if (membership.organizationRequiresMfa()) {
            checkSignIn(userId, amr);
        }
    }

    /**
     * Checks a user's sign-in as an organization requiring a second factor would: also asked of whoever turns the
     * policy on, so nobody locks themselves out of the organization they are changing.
     *
     * @throws MfaRequiredException when the sign-in had no second factor
     */
    public void checkSignIn(String userId, List<String> amr) {
        Objects.requireNonNull(userId, "userId");
        if (!amr.contains(AMR_MFA)) {
            throw factors.enrolled(userId) ? MfaRequiredException.notUsed() : MfaRequiredException.notEnrolled();
        }
    }
}
