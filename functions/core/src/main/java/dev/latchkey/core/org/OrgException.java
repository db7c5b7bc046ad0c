package dev.latchkey.core.org;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/**
 * The errors of organizations, members and invitations. Messages and details name fields, reasons and counts;
 * never an email address, a token or a name.
 */
public final class OrgException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    /** 409 reason: the change would leave the organization without an owner. */
    public static final String LAST_OWNER = "LAST_OWNER";
    /** 409 reason: a personal organization is never deleted. */
    public static final String PERSONAL_ORGANIZATION = "PERSONAL_ORGANIZATION";
    /** 409 reason: the organization still holds something; {@code remaining} says what. */
    public static final String ORGANIZATION_NOT_EMPTY = "ORGANIZATION_NOT_EMPTY";
    /** 409 reason: something changed between the read and the write; retry. */
    public static final String CONCURRENT_CHANGE = "CONCURRENT_CHANGE";
    /** 409 reason: the user is a member already. */
    public static final String ALREADY_MEMBER = "ALREADY_MEMBER";
    /** 409 reason: a pending invitation for this address exists in the organization. */
    public static final String ALREADY_INVITED = "ALREADY_INVITED";
    /** 403 reason: the account's email address is not verified. */
    public static final String EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED";
    /** 403 reason: the invitation is for another address (which is not named). */
    public static final String EMAIL_MISMATCH = "EMAIL_MISMATCH";
    /** 403 reason: the route is for signed-in users, not API keys. */
    public static final String USER_REQUIRED = "USER_REQUIRED";
    /** 404 reason: no such invitation token (never issued, used, or revoked). */
    public static final String INVITATION_NOT_FOUND = "INVITATION_NOT_FOUND";
    /** 404 reason: the invitation expired. */
    public static final String INVITATION_EXPIRED = "INVITATION_EXPIRED";

    private OrgException(ErrorCode code, String message, Map<String, Object> details) {
        super(code, message, details, null);
    }

    /** 400 for one field. */
    public static OrgException invalid(String field, String reason, String message) {
        return new OrgException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field, "reason", reason));
    }

    /** 404: no such organization, member or invitation for this caller (no existence leak). */
    public static OrgException notFound() {
        return new OrgException(ErrorCode.NOT_FOUND, "Not found.", Map.of());
    }

    /** 404: the invitation token is unknown, used or revoked. */
    public static OrgException invitationNotFound() {
        return new OrgException(ErrorCode.NOT_FOUND, "No open invitation has this token.",
                Map.of("reason", INVITATION_NOT_FOUND));
    }

    /** 404: the invitation expired; ask for a new one. */
    public static OrgException invitationExpired() {
        return new OrgException(ErrorCode.NOT_FOUND, "The invitation has expired; ask for a new one.",
                Map.of("reason", INVITATION_EXPIRED));
    }

    /** 409 with a reason. */
    public static OrgException conflict(String reason, String message) {
        return new OrgException(ErrorCode.CONFLICT, message, Map.of("reason", reason));
    }

    /** 409: the organization would have no owner left. */
    public static OrgException lastOwner() {
        return conflict(LAST_OWNER, "An organization keeps at least one owner; make another member owner first.");
    }

    /** 409: personal organizations are not deleted. */
    public static OrgException personalOrganization() {
        return conflict(PERSONAL_ORGANIZATION, "A personal organization cannot be deleted.");
    }

    /**
     * 409: the organization still holds things; delete or remove them first.
     *
     * @param remaining what remains, by kind ({@code members}, {@code teams}…), only kinds with a count above 0
     */
    public static OrgException notEmpty(Map<String, Integer> remaining) {
        return new OrgException(ErrorCode.CONFLICT, "The organization is not empty; remove what remains first.",
                Map.of("reason", ORGANIZATION_NOT_EMPTY, "remaining", Map.copyOf(remaining)));
    }

    /** 409: changed meanwhile. */
    public static OrgException concurrentChange() {
        return conflict(CONCURRENT_CHANGE, "The organization changed meanwhile; retry.");
    }

    /** 403 with a reason. */
    public static OrgException forbidden(String reason, String message) {
        return new OrgException(ErrorCode.PERMISSION_DENIED, message, Map.of("reason", reason));
    }

    /** 403: only a signed-in user may do this (an API key belongs to one organization and is no person). */
    public static OrgException userRequired() {
        return forbidden(USER_REQUIRED, "Only a signed-in user can do this, not an API key.");
    }

    /**
     * 403: the caller may not give or take away this role (it lacks some of the role's permissions).
     *
     * @param role the role's name
     */
    public static OrgException cannotGrantRole(String role) {
        return new OrgException(ErrorCode.PERMISSION_DENIED,
                "Nobody gives or takes away a role with permissions they do not hold.",
                Map.of("reason", "ROLE_NOT_GRANTABLE", "role", role));
    }
}
