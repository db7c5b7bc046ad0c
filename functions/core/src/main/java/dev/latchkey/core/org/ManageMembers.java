package dev.latchkey.core.org;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.principal.SensitiveOperations;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The member use cases of {@code /v1/orgs/{orgId}/members} (docs/organizations.md).
 *
 * <ul>
 *   <li>list ({@code member:read}): user id order, cursor pagination;</li>
 *   <li>change a role ({@code member:role:update}): the caller must be able to grant both the old and the new
 *       role ({@link Role#grantableWith}), so an admin never makes or unmakes an owner;</li>
 *   <li>remove ({@code member:remove} and the target's role grantable), or leave (a member removes themselves,
 *       no permission needed);</li>
 *   <li>the last owner is never demoted, removed, or leaves: the write carries a condition that another member
 *       is still owner when it commits, so parallel demotions of the last two owners leave exactly one.</li>
 * </ul>
 */
public final class ManageMembers {

    /** Default page size. */
    public static final int DEFAULT_LIMIT = 50;
    /** Largest page size. */
    public static final int MAX_LIMIT = 100;
    /** Attempts when the owner who had to remain stopped being one meanwhile. */
    static final int OWNER_ATTEMPTS = 3;

    private static final Pattern USER_ID = Pattern.compile("usr_[0-9A-HJKMNP-TV-Z]{26}");

    private final OrganizationRepository organizations;
    private final Clock clock;
    private final OrgAudit audit;
    private final SensitiveOperations stepUp;

    /**
     * @param organizations the store
     * @param ids event ids
     * @param clock times
     * @param stepUp the step-up of a user making a member owner
     */
    public ManageMembers(OrganizationRepository organizations, IdGenerator ids, Clock clock,
            SensitiveOperations stepUp) {
        this.organizations = Objects.requireNonNull(organizations, "organizations");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = new OrgAudit(Objects.requireNonNull(ids, "ids"), clock);
        this.stepUp = Objects.requireNonNull(stepUp, "stepUp");
    }

    /**
     * One page of members ({@code member:read}).
     *
     * @throws OrgException 400 for a limit out of range or a foreign cursor
     */
    public MemberPage list(OrgAccess access, int limit, Optional<String> cursor) {
        requireLimit(limit);
        Optional<String> after = cursor.map(c -> OrgCursor.decode(OrgCursor.MEMBERS, access.organizationId(), c));
        MemberPage page = organizations.members(access.organizationId(), limit, after);
        return new MemberPage(page.members(), page.nextCursor().map(last -> OrgCursor.encode(OrgCursor.MEMBERS,
                access.organizationId(), last)));
    }

    /**
     * Changes a member's role ({@code member:role:update}); the same role again changes nothing and writes no
     * event. Making a member owner takes a step-up of a user caller first ({@link SensitiveOperations}, issue 14
     * item 6): an owner can delete the organization and remove every other owner.
     *
     * @throws OrgException 400 for an unknown role; 404 for no such member; 403 when the caller cannot grant the
     *     old or the new role; 409 {@code LAST_OWNER} or {@code CONCURRENT_CHANGE}
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 for a user making a member owner without a
     *     recent enough sign-in
     */
    public Member changeRole(OrgAccess access, String userId, String role, RequestOrigin origin) {
        Role newRole = parseRole(role);
        Member member = find(access, userId);
        if (member.role() == newRole) {
            return member;
        }
        requireGrantable(access, member.role());
        requireGrantable(access, newRole);
        if (newRole == Role.OWNER) {
            stepUp.requireStepUp(access.caller());
        }
        AuditEvent event = audit.event(OrgAudit.MEMBER_ROLE_CHANGED, access.caller().actor(),
                access.organizationId(), "user", member.userId(), now(), origin,
                Map.of("old_role", member.role().text(), "new_role", newRole.text()));
        keepingAnOwner(member, mustRemain -> organizations.changeRole(member, newRole, mustRemain, event));
        return member.withRole(newRole);
    }

    /**
     * Carries out a {@link MemberRemoval}: {@link #leave} when the caller leaves, else {@link #remove(OrgAccess,
     * String, RequestOrigin)}. {@code access} must authorize {@link MemberRemoval#permission()}.
     *
     * @throws OrgException as {@link #leave} or {@link #remove(OrgAccess, String, RequestOrigin)}
     */
    public void remove(OrgAccess access, MemberRemoval removal, RequestOrigin origin) {
        if (removal.leaving()) {
            leave(access, origin);
        } else {
            remove(access, removal.userId(), origin);
        }
    }

    /**
     * Removes a member ({@code member:remove}; the caller must be able to grant the member's role), with their
     * team memberships and grants in the organization.
     *
     * @throws OrgException 404 for no such member; 403 for a role the caller cannot grant; 409 {@code LAST_OWNER}
     */
    public void remove(OrgAccess access, String userId, RequestOrigin origin) {
        Member member = find(access, userId);
        requireGrantable(access, member.role());
        AuditEvent event = audit.event(OrgAudit.MEMBER_REMOVED, access.caller().actor(), access.organizationId(),
                "user", member.userId(), now(), origin, Map.of("role", member.role().text()));
        keepingAnOwner(member, mustRemain -> organizations.removeMember(member, mustRemain, event));
    }

    /**
     * The calling user leaves the organization (any member; no permission needed beyond membership).
     *
     * @throws OrgException 403 {@code USER_REQUIRED} for an API key; 409 {@code LAST_OWNER}
     */
    public void leave(OrgAccess access, RequestOrigin origin) {
        if (!(access.caller() instanceof Caller.User user)) {
            throw OrgException.userRequired();
        }
        Member member = organizations.member(access.organizationId(), user.userId())
                .orElseThrow(OrgException::notFound);
        AuditEvent event = audit.event(OrgAudit.MEMBER_LEFT, user.actor(), access.organizationId(), "user",
                member.userId(), now(), origin, Map.of("role", member.role().text()));
        keepingAnOwner(member, mustRemain -> organizations.removeMember(member, mustRemain, event));
    }

    /**
     * Runs a write that demotes or removes {@code member}; when the member is an owner, names
     * another owner who must still be one when the write commits, and tries again with a fresh read when that
     * owner changed meanwhile.
     */
    private void keepingAnOwner(Member member, Consumer<Optional<String>> write) {
        for (int attempt = 1; ; attempt++) {
            Optional<String> mustRemain = Optional.empty();
            if (member.role() == Role.OWNER) {
                mustRemain = organizations.owners(member.organizationId()).stream().map(Member::userId)
                        .filter(id -> !id.equals(member.userId())).findFirst();
                if (mustRemain.isEmpty()) {
                    throw OrgException.lastOwner();
                }
            }
            try {
                write.accept(mustRemain);
                return;
            } catch (OrgException e) {
                boolean ownerMoved = OrgException.LAST_OWNER.equals(e.details().get("reason"));
                if (!ownerMoved || attempt == OWNER_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Member find(OrgAccess access, String userId) {
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            throw OrgException.notFound();
        }
        return organizations.member(access.organizationId(), userId).orElseThrow(OrgException::notFound);
    }

    static Role parseRole(String role) {
        if (role == null) {
            throw OrgException.invalid("role", "REQUIRED", "Field 'role' is required.");
        }
        return Role.parse(role).orElseThrow(() -> OrgException.invalid("role", "INVALID",
                "Field 'role' is one of owner, admin, member, viewer."));
    }

    static void requireGrantable(OrgAccess access, Role role) {
        if (!role.grantableWith(access.held())) {
            throw OrgException.cannotGrantRole(role.text());
        }
    }

    static void requireLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw OrgException.invalid("limit", "OUT_OF_RANGE", "Query 'limit' is 1 to " + MAX_LIMIT + ".");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
