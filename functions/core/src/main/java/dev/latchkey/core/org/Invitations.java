package dev.latchkey.core.org;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.principal.SensitiveOperations;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.core.store.StoreUnavailableException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Invitations (docs/organizations.md "Invitations"): invite by email with a role, list, revoke, accept.
 *
 * <ul>
 *   <li>invite ({@code member:invite}, and the caller must be able to grant the role): the address is parsed by
 *       {@link EmailAddress} and stored canonical; one open invitation per address and organization (409
 *       {@code ALREADY_INVITED}); at most {@value #MAX_OPEN} open per organization and
 *       {@link #DEFAULT_INVITE_LIMIT} per hour; it works {@link #LIFETIME}. The single-use
 *       {@link InvitationToken} goes into the mail only (to {@link EmailAddress#mailbox()}), after the invitation
 *       is committed; only its SHA-256 is stored. A failed mail leaves the invitation standing
 *       ({@link CreatedInvitation#mailSent()} false).</li>
 *   <li>accept (a signed-in user): the account's email must be verified (403 {@code EMAIL_NOT_VERIFIED}) and equal
 *       the invitation's canonical address (403 {@code EMAIL_MISMATCH}, naming neither address); an unknown, used
 *       or revoked token is 404 {@code INVITATION_NOT_FOUND}, an expired one 404 {@code INVITATION_EXPIRED}; an
 *       existing member 409 {@code ALREADY_MEMBER}. The token is spent and the membership written in one
 *       transaction, so of two parallel accepts exactly one succeeds.</li>
 * </ul>
 */
public final class Invitations {

    /** How long an invitation works. */
    public static final Duration LIFETIME = Duration.ofDays(7);
    /** Most open invitations per organization. */
    public static final int MAX_OPEN = 40;
    /** Invitations per organization and hour. */
    public static final RateLimit DEFAULT_INVITE_LIMIT = RateLimit.perSeconds(50, 3600);
    /** Where the token is posted, under the issuer. */
    public static final String ACCEPT_PATH = "/v1/invitations/accept";
    /** The mail's purpose. */
    public static final String MAIL_PURPOSE = "org-invitation";
    static final String SUBJECT = "You are invited to an organization on Latchkey";

    private static final Pattern INVITATION_ID = Pattern.compile("inv_[0-9A-HJKMNP-TV-Z]{26}");
    private static final System.Logger LOG = System.getLogger(Invitations.class.getName());

    private final OrganizationRepository organizations;
    private final UserRepository users;
    private final Mailer mailer;
    private final RateLimiter rateLimiter;
    private final RateLimit inviteLimit;
    private final IdGenerator ids;
    private final SecureRandom random;
    private final Clock clock;
    private final SensitiveOperations stepUp;
    private final String acceptUrl;
    private final OrgAudit audit;

    /**
     * @param organizations the store
     * @param users the accounts (an accepting user's verified address)
     * @param mailer the mail transport
     * @param rateLimiter counts invitations per organization
     * @param inviteLimit the per-organization limit
     * @param ids invitation and event ids
     * @param random tokens
     * @param clock times
     * @param issuer the public base URL ({@code LATCHKEY_ISSUER}); the mail names
     *     {@code <issuer>}{@value #ACCEPT_PATH}
     * @param stepUp the recent (multi-factor) sign-in check of a user inviting an owner
     */
    public Invitations(OrganizationRepository organizations, UserRepository users, Mailer mailer,
            RateLimiter rateLimiter, RateLimit inviteLimit, IdGenerator ids, SecureRandom random, Clock clock,
            URI issuer, SensitiveOperations stepUp) {
        this.organizations = Objects.requireNonNull(organizations, "organizations");
        this.users = Objects.requireNonNull(users, "users");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.inviteLimit = Objects.requireNonNull(inviteLimit, "inviteLimit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stepUp = Objects.requireNonNull(stepUp, "stepUp");
        String base = Objects.requireNonNull(issuer, "issuer").toString();
        this.acceptUrl = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + ACCEPT_PATH;
        this.audit = new OrgAudit(ids, clock);
    }

    /** The URL the mail points to. */
    public String acceptUrl() {
        return acceptUrl;
    }

    /**
     * Invites an address with a role ({@code member:invite}) and mails the token.
     *
     * @throws dev.latchkey.core.account.AccountException 400 {@code email} for an address that is not valid
     * @throws OrgException 400 for a missing or unknown role; 403 for a role the caller cannot grant; 409
     *     {@code ALREADY_INVITED} or {@code TOO_MANY_INVITATIONS}; 404 when the organization is gone
     * @throws RateLimitedException 429 when the organization invited too often this hour
     * @throws dev.latchkey.core.principal.StepUpRequiredException 401 for a user inviting an owner without a recent
     *     enough sign-in (as making a member owner: the accepted invitation makes one)
     */
    public CreatedInvitation invite(OrgAccess access, String email, String role, RequestOrigin origin) {
        if (email == null) {
            throw OrgException.invalid("email", "REQUIRED", "Field 'email' is required.");
        }
        EmailAddress address = EmailAddress.parse(email);
        Role checkedRole = ManageMembers.parseRole(role);
        ManageMembers.requireGrantable(access, checkedRole);
        if (checkedRole == Role.OWNER) {
            stepUp.requireStepUp(access.caller());
        }
        RateLimitDecision decision = rateLimiter.consume("invite:org:" + access.organizationId(), inviteLimit);
        if (!decision.allowed()) {
            throw new RateLimitedException(decision);
        }
        Organization organization = organizations.find(access.organizationId()).orElseThrow(OrgException::notFound);
        Instant now = now();
        if (organizations.openInvitations(organization.id(), now) >= MAX_OPEN) {
            throw OrgException.conflict("TOO_MANY_INVITATIONS", "The organization has " + MAX_OPEN
                    + " open invitations; revoke some first.");
        }
        InvitationToken token = InvitationToken.generate(random);
        Invitation invitation = new Invitation(ids.next(IdPrefix.INVITATION), organization.id(), address.canonical(),
                checkedRole, InvitationState.PENDING, access.caller().actor().id(), now, now.plus(LIFETIME),
                token.hash());
        organizations.createInvitation(invitation, now, audit.event(OrgAudit.INVITATION_CREATED,
                access.caller().actor(), organization.id(), "invitation", invitation.id(), now, origin,
                Map.of("role", checkedRole.text())));
        return new CreatedInvitation(invitation, send(address, organization, invitation, token));
    }

    /**
     * One page of the organization's invitations, any state ({@code member:invite}: it shows addresses).
     *
     * @throws OrgException 400 for a limit out of range or a foreign cursor
     */
    public InvitationPage list(OrgAccess access, int limit, Optional<String> cursor) {
        ManageMembers.requireLimit(limit);
        Optional<String> after = cursor.map(c -> OrgCursor.decode(OrgCursor.INVITATIONS, access.organizationId(),
                c));
        InvitationPage page = organizations.invitations(access.organizationId(), limit, after);
        return new InvitationPage(page.invitations(), page.nextCursor().map(last -> OrgCursor.encode(
                OrgCursor.INVITATIONS, access.organizationId(), last)));
    }

    /**
     * Revokes a pending invitation ({@code member:invite}); its token stops working at once. Revoking one that is
     * revoked already changes nothing.
     *
     * @throws OrgException 404 for no such invitation here; 409 {@code ACCEPTED} for an accepted one
     */
    public void revoke(OrgAccess access, String invitationId, RequestOrigin origin) {
        if (invitationId == null || !INVITATION_ID.matcher(invitationId).matches()) {
            throw OrgException.notFound();
        }
        Invitation invitation = organizations.invitation(access.organizationId(), invitationId)
                .orElseThrow(OrgException::notFound);
        if (invitation.state() == InvitationState.REVOKED) {
            return;
        }
        if (invitation.state() == InvitationState.ACCEPTED) {
            throw OrgException.conflict("ACCEPTED", "The invitation was accepted; remove the member instead.");
        }
        organizations.revokeInvitation(invitation, audit.event(OrgAudit.INVITATION_REVOKED, access.caller().actor(),
                invitation.organizationId(), "invitation", invitation.id(), now(), origin,
                Map.of("role", invitation.role().text())));
    }

    /**
     * Accepts an invitation as the signed-in user.
     *
     * @param userId the user of the access token
     * @param token the token from the mail
     * @throws OrgException 400 for a missing or malformed token; 403 {@code EMAIL_NOT_VERIFIED} or
     *     {@code EMAIL_MISMATCH}; 404 {@code INVITATION_NOT_FOUND} or {@code INVITATION_EXPIRED}; 409
     *     {@code ALREADY_MEMBER}
     */
    public JoinedOrganization accept(String userId, String token, RequestOrigin origin) {
        if (token == null) {
            throw OrgException.invalid("token", "REQUIRED", "Field 'token' is required.");
        }
        InvitationToken parsed = InvitationToken.parse(token).orElseThrow(() -> OrgException.invalid("token",
                "INVALID_FORMAT", "Field 'token' is not an invitation token."));
        User user = users.findById(userId).orElseThrow(OrgException::notFound);
        if (!user.emailVerified()) {
            throw OrgException.forbidden(OrgException.EMAIL_NOT_VERIFIED,
                    "Verify your email address before accepting an invitation.");
        }
        Invitation invitation = organizations.invitationByToken(parsed.hash())
                .filter(i -> i.tokenHash().equals(parsed.hash()))
                .orElseThrow(OrgException::invitationNotFound);
        Instant now = now();
        if (invitation.state() != InvitationState.PENDING) {
            throw OrgException.invitationNotFound();
        }
        if (invitation.expiredAt(now)) {
            throw OrgException.invitationExpired();
        }
        if (!invitation.email().equals(user.email().canonical())) {
            throw OrgException.forbidden(OrgException.EMAIL_MISMATCH,
                    "This invitation is for another email address than your account's.");
        }
        Organization organization = organizations.find(invitation.organizationId())
                .orElseThrow(OrgException::invitationNotFound);
        if (organizations.member(organization.id(), userId).isPresent()) {
            throw OrgException.conflict(OrgException.ALREADY_MEMBER, "You are a member of this organization.");
        }
        Member member = new Member(organization.id(), userId, invitation.role(), now);
        organizations.acceptInvitation(invitation, member, audit.event(OrgAudit.INVITATION_ACCEPTED,
                Actor.user(userId), organization.id(), "invitation", invitation.id(), now, origin,
                Map.of("role", invitation.role().text())));
        return new JoinedOrganization(organization, member);
    }

    private boolean send(EmailAddress address, Organization organization, Invitation invitation,
            InvitationToken token) {
        String text = "You have been invited to join the organization \"" + organization.name() + "\" on Latchkey"
                + " as " + invitation.role().text() + ".\n\n"
                + "Your invitation token:\n\n    " + token.value() + "\n\n"
                + "Sign in with this email address (it must be verified) and submit the token to " + acceptUrl
                + " (POST {\"token\": \"...\"}) within " + LIFETIME.toDays() + " days.\n"
                + "It works once. If you do not know this organization, ignore this message.\n";
        try {
            mailer.send(new MailMessage(address.mailbox(), SUBJECT, text, MAIL_PURPOSE));
            return true;
        } catch (MailException | StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "invitation mail for " + invitation.id() + " not sent: "
                    + e.getClass().getSimpleName() + "; revoke it and invite again");
            return false;
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
