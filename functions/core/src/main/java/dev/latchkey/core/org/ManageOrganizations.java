package dev.latchkey.core.org;

import dev.latchkey.core.access.OrganizationMfaPolicy;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.principal.SensitiveOperations;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The organization use cases of {@code /v1/orgs} and {@code /v1/orgs/{orgId}} (docs/organizations.md). The
 * organization id always comes from the authorized path ({@link OrgAccess}), never from a body.
 *
 * <ul>
 *   <li>create: any signed-in user (not an API key), at most {@link #DEFAULT_CREATE_LIMIT} per user; the creator
 *       becomes its owner;</li>
 *   <li>list: the caller's organizations with their role;</li>
 *   <li>show ({@code org:read}), update ({@code org:update}): the name and the second-factor policy
 *       {@code require_mfa} (issue 14 item 5);</li>
 *   <li>delete ({@code org:delete}): refused (409) for a personal organization and while the organization holds
 *       anything but the deleter's own membership and invitations; safe against a concurrent addition through the
 *       organization's version.</li>
 * </ul>
 */
public final class ManageOrganizations {

    /** Organizations one user may create per hour. */
    public static final RateLimit DEFAULT_CREATE_LIMIT = RateLimit.perSeconds(10, 3600);

    private final OrganizationRepository organizations;
    private final RateLimiter rateLimiter;
    private final RateLimit createLimit;
    private final IdGenerator ids;
    private final Clock clock;
    private final OrgAudit audit;
    private final SensitiveOperations stepUp;
    private final OrganizationMfaPolicy mfaPolicy;

    /**
     * @param organizations the store
     * @param rateLimiter counts creations per user
     * @param createLimit the per-user creation limit
     * @param ids organization and event ids
     * @param clock times
     * @param stepUp the step-up of a user deleting the organization or turning {@code require_mfa} off
     * @param mfaPolicy the check a user turning {@code require_mfa} on must pass themselves
     */
    public ManageOrganizations(OrganizationRepository organizations, RateLimiter rateLimiter, RateLimit createLimit,
            IdGenerator ids, Clock clock, SensitiveOperations stepUp, OrganizationMfaPolicy mfaPolicy) {
        this.organizations = Objects.requireNonNull(organizations, "organizations");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.createLimit = Objects.requireNonNull(createLimit, "createLimit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = new OrgAudit(ids, clock);
        this.stepUp = Objects.requireNonNull(stepUp, "stepUp");
        this.mfaPolicy = Objects.requireNonNull(mfaPolicy, "mfaPolicy");
    }

    /**
     * Creates an organization with the user as its owner, and {@code org.created}.
     *
     * @param userId the signed-in user
     * @throws OrgException 400 for a bad name
     * @throws RateLimitedException 429 when the user created too many
     */
    public Organization create(String userId, String name, RequestOrigin origin) {
        String checked = OrganizationName.normalize(name);
        RateLimitDecision decision = rateLimiter.consume("org-create:user:" + userId, createLimit);
        if (!decision.allowed()) {
            throw new RateLimitedException(decision);
        }
        Instant now = now();
        Organization organization = new Organization(ids.next(IdPrefix.ORGANIZATION), checked, false, now, userId,
                0);
        Member owner = new Member(organization.id(), userId, Role.OWNER, now);
        organizations.create(organization, owner, audit.event(OrgAudit.ORG_CREATED, Actor.user(userId),
                organization.id(), "organization", organization.id(), now, origin, Map.of()));
        return organization;
    }

    /** The user's organizations and roles (eventually consistent: {@link OrganizationRepository#organizationsOf}). */
    public List<MemberOrganization> list(String userId) {
        return organizations.organizationsOf(userId);
    }

    /**
     * The organization ({@code org:read}).
     *
     * @throws OrgException 404 when it is gone
     */
    public Organization show(OrgAccess access) {
        return organizations.find(access.organizationId()).orElseThrow(OrgException::notFound);
    }

    /**
     * Renames it ({@code org:update}); {@code org.renamed} carries no name (names are free text).
     *
     * @throws OrgException 400 for a bad name, 404 when it is gone
     */
    public Organization rename(OrgAccess access, String name, RequestOrigin origin) {
        return update(access, Optional.of(name), Optional.empty(), origin);
    }

    /**
     * {@code PATCH /v1/orgs/{orgId}} ({@code org:update}): a new name and/or a new {@code require_mfa}, written in one
     * transaction with one event per change ({@code org.renamed} without the name; {@code org.mfa_policy_changed}
     * with {@code require_mfa}). What does not change writes nothing.
     *
     * <ul>
     *   <li>Turning {@code require_mfa} <b>on</b>: a user must have signed in with a second factor themselves
     *       ({@link OrganizationMfaPolicy#checkSignIn}) — else they would lock themselves out of the organization
     *       with their next request. An API key (with {@code org:update}) may: it is no person.</li>
     *   <li>Turning it <b>off</b> weakens every member's sign-in: a user steps up first ({@link SensitiveOperations},
     *       a sign-in within 10 minutes with the second factor).</li>
     * </ul>
     *
     * @param name the new name, if it changes
     * @param requireMfa the new policy, if it changes
     * @throws OrgException 400 for a bad name or when neither is given, 404 when it is gone
     * @throws dev.latchkey.core.access.MfaRequiredException when a user without a multi-factor sign-in turns the
     *     policy on
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 when a user turns it off without a recent
     *     multi-factor sign-in
     */
    public Organization update(OrgAccess access, Optional<String> name, Optional<Boolean> requireMfa,
            RequestOrigin origin) {
        if (name.isEmpty() && requireMfa.isEmpty()) {
            throw OrgException.invalid("name", "REQUIRED", "Give a name or require_mfa to change.");
        }
        Optional<String> checked = name.map(OrganizationName::normalize);
        Organization organization = show(access);
        Organization updated = organization;
        Instant now = now();
        List<AuditEvent> events = new ArrayList<>();
        if (checked.isPresent() && !checked.get().equals(organization.name())) {
            updated = updated.withName(checked.get());
            events.add(audit.event(OrgAudit.ORG_RENAMED, access.caller().actor(), organization.id(), "organization",
                    organization.id(), now, origin, Map.of()));
        }
        if (requireMfa.isPresent() && requireMfa.get() != organization.requireMfa()) {
            if (access.caller() instanceof Caller.User user) {
                if (requireMfa.get()) {
                    mfaPolicy.checkSignIn(user.userId(), user.amr());
                } else {
                    stepUp.requireStepUp(user);
                }
            }
            updated = updated.withRequireMfa(requireMfa.get());
            events.add(audit.event(OrgAudit.ORG_MFA_POLICY_CHANGED, access.caller().actor(), organization.id(),
                    "organization", organization.id(), now, origin,
                    Map.of("require_mfa", Boolean.toString(requireMfa.get()))));
        }
        if (events.isEmpty()) {
            return organization;
        }
        organizations.update(updated, events);
        return updated;
    }

    /**
     * Deletes the organization ({@code org:delete}, owners only) with the deleter's membership and its
     * invitations; its audit events stay. A user steps up first ({@link SensitiveOperations}, issue 14 item 6).
     *
     * @throws OrgException 409 {@code PERSONAL_ORGANIZATION}; 409 {@code ORGANIZATION_NOT_EMPTY} with
     *     {@code remaining} (other members, teams, resources, grants, clients, API keys); 409
     *     {@code CONCURRENT_CHANGE} when something was added meanwhile; 404 when it is gone
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 for a user without a recent enough sign-in
     */
    public void delete(OrgAccess access, RequestOrigin origin) {
        stepUp.requireStepUp(access.caller());
        OrganizationContents contents = organizations.contents(access.organizationId());
        if (contents.organization().personal()) {
            throw OrgException.personalOrganization();
        }
        Optional<String> deleter = access.caller() instanceof Caller.User user ? Optional.of(user.userId())
                : Optional.empty();
        Map<String, Integer> remaining = contents.remaining(deleter.orElse(null));
        if (!remaining.isEmpty()) {
            throw OrgException.notEmpty(remaining);
        }
        organizations.delete(contents, deleter, audit.event(OrgAudit.ORG_DELETED, access.caller().actor(),
                access.organizationId(), "organization", access.organizationId(), now(), origin,
                Map.of("invitations_deleted", Integer.toString(contents.invitations().size()))));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
