package dev.latchkey.core.account;

import dev.latchkey.core.audit.AuditEvent;
import java.util.Objects;

/**
 * Everything one registration writes, all or nothing: the user, the email claim (derived from
 * {@code user.email().canonical()}), the personal organization, the owner membership (derived) and
 * the {@code account.registered} audit event.
 *
 * @param user the new user, {@code emailVerified} false
 * @param organization the user's personal organization
 * @param registered the audit event, in the organization's scope
 */
public record NewAccount(User user, PersonalOrganization organization, AuditEvent registered) {

    /** Checks that the three parts belong together. */
    public NewAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(registered, "registered");
        if (!user.personalOrganizationId().equals(organization.id())
                || !organization.createdBy().equals(user.id())
                || !registered.organizationId().equals(java.util.Optional.of(organization.id()))) {
            throw new IllegalArgumentException("user, organization and audit event do not belong together");
        }
    }
}
