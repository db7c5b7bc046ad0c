package dev.latchkey.core.org;

import dev.latchkey.core.access.OrganizationMfaPolicy;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.InMemoryUserRepository;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.RecordingMailer;
import dev.latchkey.core.mfa.InMemoryMfaRepository;
import dev.latchkey.core.mfa.StepUp;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RecentAuthentication;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.testing.MutableClock;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The organization use cases wired to in-memory fakes and a hand-moved clock (shared through the core test jar):
 * an owner ({@link #ownerId}) who created {@link #organizationId}; {@link #user} makes more accounts and
 * {@link #join} gives them a role there.
 */
public final class OrgFixture {

    public static final Instant T0 = Instant.parse("2026-03-12T10:00:00Z");
    public static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-1");
    public static final URI ISSUER = URI.create("https://id.example.com");
    private static final Pattern TOKEN = Pattern.compile("lki_[A-Za-z0-9_-]{43}");

    public final MutableClock clock = new MutableClock(T0);
    public final SecureRandom random = new SecureRandom();
    public final SortableIdGenerator ids = new SortableIdGenerator(clock, random);
    public final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    public final InMemoryOrganizationRepository repository = new InMemoryOrganizationRepository(audit);
    public final InMemoryUserRepository users = new InMemoryUserRepository(new InMemoryAuditLog(clock));
    public final RecordingMailer mailer = new RecordingMailer();
    public final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);
    /** The users' second factors, for the step-up of deleting the organization or making an owner. */
    public final InMemoryMfaRepository factors = new InMemoryMfaRepository();
    public final StepUp stepUp = new StepUp(factors, new RecentAuthentication(clock));
    public final ManageOrganizations organizations = new ManageOrganizations(repository, limiter,
            ManageOrganizations.DEFAULT_CREATE_LIMIT, ids, clock, stepUp,
            new OrganizationMfaPolicy(userId -> factors.findTotp(userId).isPresent()));
    public final ManageMembers members = new ManageMembers(repository, ids, clock, stepUp);
    public final Invitations invitations = new Invitations(repository, users, mailer, limiter,
            Invitations.DEFAULT_INVITE_LIMIT, ids, random, clock, ISSUER, stepUp);
    public final String ownerId;
    public final String organizationId;

    /** An owner and their new (not personal) organization. */
    public OrgFixture() {
        ownerId = user("owner@example.com", true);
        organizationId = organizations.create(ownerId, "Acme", ORIGIN).id();
    }

    /** An account (with its personal organization), verified or not; answers its user id. */
    public String user(String email, boolean verified) {
        String userId = ids.next(IdPrefix.USER);
        String personal = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Test", "$argon2id$unused", verified, T0, personal);
        users.create(new NewAccount(user, new PersonalOrganization(personal, "Test's organization", T0, userId),
                AuditEvent.builder(ids, clock).organizationId(personal).actor(Actor.user(userId))
                        .action("account.registered").requestId("test").build()));
        repository.putOrganization(new Organization(personal, "Test's organization", true, T0, userId, 0));
        repository.putMember(new Member(personal, userId, Role.OWNER, T0));
        return userId;
    }

    /** Gives a user a role in the fixture's organization. */
    public void join(String userId, Role role) {
        repository.putMember(new Member(organizationId, userId, role, T0));
    }

    /** The user's access with their role's permissions, in the fixture's organization, signed in just now. */
    public OrgAccess as(String userId, Role role) {
        return signedInAt(userId, role, clock.instant());
    }

    /** The user's access with their role's permissions, from a password sign-in at {@code authTime}. */
    public OrgAccess signedInAt(String userId, Role role, Instant authTime) {
        return new OrgAccess(organizationId, new Caller.User(userId, ids.next(IdPrefix.SESSION), List.of("pwd"),
                Optional.of(authTime)), role.permissions());
    }

    /** The owner's access. */
    public OrgAccess owner() {
        return as(ownerId, Role.OWNER);
    }

    /** An API key of the organization with these permissions. */
    public OrgAccess key(Set<String> permissions) {
        return new OrgAccess(organizationId, new Caller.ApiKey(ids.next(IdPrefix.API_KEY), organizationId,
                permissions), permissions);
    }

    /** The token in the last invitation mail. */
    public String lastToken() {
        MailMessage mail = mailer.latest(Invitations.MAIL_PURPOSE).orElseThrow();
        Matcher matcher = TOKEN.matcher(mail.text());
        if (!matcher.find()) {
            throw new AssertionError("no invitation token in the mail");
        }
        return matcher.group();
    }
}
