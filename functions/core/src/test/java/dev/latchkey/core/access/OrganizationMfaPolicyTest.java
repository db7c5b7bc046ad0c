package dev.latchkey.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.resource.GrantedScopes;
import dev.latchkey.core.resource.InMemoryResourceRepository;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.team.InMemoryTeamRepository;
import dev.latchkey.core.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An organization's {@code require_mfa} (issue 14 item 5) as the {@link Authorizer} applies it to every management
 * route: a member whose sign-in had no second factor gets 403 {@code MFA_REQUIRED} with the enrolment link (no
 * factor) or the RFC 9470 step-up challenge (a factor not used), audited; a multi-factor sign-in, an API key, and an
 * organization without the policy pass; a stranger still learns nothing (404).
 */
class OrganizationMfaPolicyTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:00:00Z");
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-mfa-policy");

    private final MutableClock clock = new MutableClock(T0);
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());
    private final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    private final InMemoryMembershipDirectory memberships = new InMemoryMembershipDirectory();
    private final Set<String> enrolled = new HashSet<>();
    private final OrganizationMfaPolicy policy = new OrganizationMfaPolicy(enrolled::contains);
    private final Authorizer authorizer = new Authorizer(memberships, policy, audit, ids, clock);
    private final String organizationId = ids.next(IdPrefix.ORGANIZATION);
    private final String userId = ids.next(IdPrefix.USER);

    private Caller.User signedIn(List<String> amr) {
        return new Caller.User(userId, ids.next(IdPrefix.SESSION), amr, Optional.of(clock.instant()));
    }

    private Throwable authorize(Caller caller) {
        return catchThrowable(() -> authorizer.authorize(caller, organizationId, Permissions.ORG_READ, ORIGIN));
    }

    @Test
    void authorizeWhenOrganizationRequiresMfaAndMemberHasNoFactorThen403MfaRequiredWithEnrolLinkAndAudited() {
        memberships.put(organizationId, userId, Role.OWNER).requireMfa(organizationId, true);

        Throwable thrown = authorize(signedIn(List.of("pwd")));

        assertThat(thrown).isInstanceOfSatisfying(MfaRequiredException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MFA_REQUIRED);
            assertThat(e.code().status()).isEqualTo(403);
            assertThat(e.enrolled()).isFalse();
            assertThat(e.details()).containsEntry("reason", "MFA_NOT_ENROLLED")
                    .containsEntry("enrol", "/v1/users/me/mfa/totp")
                    .containsEntry("methods", List.of("totp", "recovery_code", "passkey"));
            assertThat(e.headers()).isEmpty();
        });
        AuditEvent denied = audit.events(Authorizer.DENIED).get(0);
        assertThat(denied.organizationId()).hasValue(organizationId);
        assertThat(denied.details()).containsEntry("reason", "MFA_NOT_ENROLLED")
                .containsEntry("permission", Permissions.ORG_READ);
        assertThat(memberships.reads()).as("membership and policy in one read").isEqualTo(1);
    }

    @Test
    void authorizeWhenMemberHasFactorButSignedInWithoutItThen401InsufficientUserAuthenticationWithoutMaxAge() {
        memberships.put(organizationId, userId, Role.MEMBER).requireMfa(organizationId, true);
        enrolled.add(userId);

        Throwable thrown = authorize(signedIn(List.of("pwd")));

        assertThat(thrown).isInstanceOfSatisfying(MfaRequiredException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(e.enrolled()).isTrue();
            assertThat(e.details()).containsEntry("reason", "INSUFFICIENT_USER_AUTHENTICATION")
                    .containsEntry("policy", "ORGANIZATION_REQUIRES_MFA")
                    .containsEntry("acr_values", MfaRequiredException.ACR_MULTI_FACTOR);
            assertThat(e.headers().get("www-authenticate"))
                    .startsWith("Bearer error=\"insufficient_user_authentication\"")
                    .contains("acr_values=\"http://schemas.openid.net/pape/policies/2007/06/multi-factor\"")
                    .doesNotContain("max_age");
        });
        assertThat(audit.events(Authorizer.DENIED).get(0).details()).containsEntry("reason", "MFA_NOT_USED");
    }

    @Test
    void authorizeWhenMemberSignedInWithSecondFactorThenAllowed() {
        memberships.put(organizationId, userId, Role.MEMBER).requireMfa(organizationId, true);
        enrolled.add(userId);

        OrgAccess access = authorizer.authorize(signedIn(List.of("pwd", "otp", "mfa")), organizationId,
                Permissions.ORG_READ, ORIGIN);

        assertThat(access.organizationId()).isEqualTo(organizationId);
        assertThat(audit.events(Authorizer.DENIED)).isEmpty();
    }

    @Test
    void authorizeWhenPasskeyWithUserVerificationThenAllowedWithoutTotp() {
        memberships.put(organizationId, userId, Role.MEMBER).requireMfa(organizationId, true);

        assertThat(authorizer.authorize(signedIn(List.of("hwk", "user", "mfa")), organizationId,
                Permissions.ORG_READ, ORIGIN).held()).contains(Permissions.ORG_READ);
    }

    @Test
    void authorizeWhenOrganizationDoesNotRequireMfaThenPasswordSignInAllowed() {
        memberships.put(organizationId, userId, Role.MEMBER);

        assertThat(authorizer.authorize(signedIn(List.of("pwd")), organizationId, Permissions.ORG_READ, ORIGIN)
                .held()).contains(Permissions.ORG_READ);
    }

    @Test
    void authorizeWhenApiKeyOfTheOrganizationThenPolicyDoesNotApply() {
        memberships.requireMfa(organizationId, true);
        Caller key = new Caller.ApiKey(ids.next(IdPrefix.API_KEY), organizationId, Set.of(Permissions.ORG_READ));

        assertThat(authorizer.authorize(key, organizationId, Permissions.ORG_READ, ORIGIN).held())
                .containsExactly(Permissions.ORG_READ);
    }

    @Test
    void authorizeWhenStrangerOfAnOrganizationRequiringMfaThen404NotMfaRequired() {
        memberships.requireMfa(organizationId, true);

        Throwable thrown = authorize(signedIn(List.of("pwd")));

        assertThat(thrown).isInstanceOfSatisfying(AccessException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(audit.events(Authorizer.DENIED).get(0).details()).containsEntry("reason", "NOT_A_MEMBER");
    }

    @Test
    void authorizeWhenMemberLacksPermissionAndMfaThenMfaAnsweredFirst() {
        memberships.put(organizationId, userId, Role.VIEWER).requireMfa(organizationId, true);

        Throwable thrown = catchThrowable(() -> authorizer.authorize(signedIn(List.of("pwd")), organizationId,
                Permissions.ORG_DELETE, ORIGIN));

        assertThat(thrown).isInstanceOf(MfaRequiredException.class);
    }

    @Test
    void forUserWhenResourceOrganizationRequiresMfaThenRefusedUntilSignedInWithSecondFactor() {
        InMemoryResourceRepository resources = new InMemoryResourceRepository(audit, memberships);
        GrantedScopes granted = new GrantedScopes(resources, memberships,
                new InMemoryTeamRepository(audit, memberships), policy);
        memberships.put(organizationId, userId, Role.OWNER).requireMfa(organizationId, true);
        String audience = "https://api.example.com";
        resources.putResource(new Resource(ids.next(IdPrefix.RESOURCE), organizationId, audience, "API",
                List.of("read"), T0, userId));

        assertThat(catchThrowable(() -> granted.forUser(audience, userId, List.of("pwd"))))
                .isInstanceOfSatisfying(MfaRequiredException.class, e -> assertThat(e.enrolled()).isFalse());
        enrolled.add(userId);
        assertThat(catchThrowable(() -> granted.forUser(audience, userId, List.of("pwd"))))
                .isInstanceOfSatisfying(MfaRequiredException.class, e -> assertThat(e.enrolled()).isTrue());
        assertThat(granted.forUser(audience, userId, List.of("pwd", "otp", "mfa")).resource().audience())
                .isEqualTo(audience);
        assertThat(catchThrowable(() -> granted.forUser(audience, ids.next(IdPrefix.USER), List.of("mfa"))))
                .as("a stranger is still invalid_target").isInstanceOf(InvalidTargetException.class);
    }
}
