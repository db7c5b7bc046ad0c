package dev.latchkey.core.access;

import static dev.latchkey.core.principal.Permissions.API_KEY_CREATE;
import static dev.latchkey.core.principal.Permissions.API_KEY_DELETE;
import static dev.latchkey.core.principal.Permissions.API_KEY_READ;
import static dev.latchkey.core.principal.Permissions.API_KEY_REVOKE;
import static dev.latchkey.core.principal.Permissions.AUDIT_LOG_VIEW;
import static dev.latchkey.core.principal.Permissions.CLIENT_CREATE;
import static dev.latchkey.core.principal.Permissions.CLIENT_DELETE;
import static dev.latchkey.core.principal.Permissions.CLIENT_READ;
import static dev.latchkey.core.principal.Permissions.MEMBER_INVITE;
import static dev.latchkey.core.principal.Permissions.MEMBER_READ;
import static dev.latchkey.core.principal.Permissions.MEMBER_REMOVE;
import static dev.latchkey.core.principal.Permissions.MEMBER_ROLE_UPDATE;
import static dev.latchkey.core.principal.Permissions.ORG_READ;
import static dev.latchkey.core.principal.Permissions.ORG_UPDATE;
import static dev.latchkey.core.principal.Permissions.RESOURCE_MANAGE;
import static dev.latchkey.core.principal.Permissions.RESOURCE_READ;
import static dev.latchkey.core.principal.Permissions.TEAM_MANAGE;
import static dev.latchkey.core.principal.Permissions.TEAM_READ;

import dev.latchkey.core.principal.Permissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A member's role in an organization, each a fixed set of Latchkey permissions
 * (ARCHITECTURE.md §6; the table is in docs/access-control.md):
 * <ul>
 *   <li>{@code owner}: everything;</li>
 *   <li>{@code admin}: everything but {@code org:delete};</li>
 *   <li>{@code member}: read the organization, its members, teams, resources, API keys and clients;</li>
 *   <li>{@code viewer}: read the organization, its members, teams and resources.</li>
 * </ul>
 */
public enum Role {
    OWNER(Permissions.LATCHKEY),
    ADMIN(Set.of(ORG_READ, ORG_UPDATE, MEMBER_READ, MEMBER_INVITE, MEMBER_REMOVE, MEMBER_ROLE_UPDATE, API_KEY_READ,
            API_KEY_CREATE, API_KEY_REVOKE, API_KEY_DELETE, CLIENT_READ, CLIENT_CREATE, CLIENT_DELETE,
            AUDIT_LOG_VIEW, TEAM_READ, TEAM_MANAGE, RESOURCE_READ, RESOURCE_MANAGE)),
    MEMBER(Set.of(ORG_READ, MEMBER_READ, TEAM_READ, RESOURCE_READ, API_KEY_READ, CLIENT_READ)),
    VIEWER(Set.of(ORG_READ, MEMBER_READ, TEAM_READ, RESOURCE_READ));

    private final Set<String> permissions;

    Role(Set<String> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    /** The Latchkey permissions of this role. */
    public Set<String> permissions() {
        return permissions;
    }

    /** The role's name as stored and shown ({@code owner}…). */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a caller holding {@code held} may hand this role to someone, or take it away: it must hold every
     * permission of the role (so an admin never makes or unmakes an owner).
     */
    public boolean grantableWith(Set<String> held) {
        return held.containsAll(permissions);
    }

    /** The role with this name; empty for anything else (never guessed). */
    public static Optional<Role> parse(String text) {
        for (Role role : values()) {
            if (role.text().equals(text)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
