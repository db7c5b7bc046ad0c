package dev.latchkey.core.org;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an organization holds, read for its deletion.
 *
 * @param organization the organization as read first (its {@link Organization#version()} is the delete's
 *     condition)
 * @param memberIds every member's user id
 * @param teams teams
 * @param resources resources
 * @param grants grants on resources
 * @param clients service clients
 * @param apiKeys API keys
 * @param applications applications (OpenID Connect relying parties)
 * @param other items of any other kind under the organization
 * @param invitations every invitation item still stored (any state)
 */
public record OrganizationContents(Organization organization, List<String> memberIds, int teams, int resources,
        int grants, int clients, int apiKeys, int applications, int other, List<Invitation> invitations) {

    /** Copies the lists. */
    public OrganizationContents {
        Objects.requireNonNull(organization, "organization");
        memberIds = List.copyOf(memberIds);
        invitations = List.copyOf(invitations);
    }

    /**
     * What stands in the way of deleting when {@code deleterUserId} deletes (the deleter's own membership goes
     * with the organization; invitations never stand in the way).
     *
     * @param deleterUserId the deleting user, or null for an API key (whose own key then remains)
     * @return counts by kind, only those above 0; empty when the organization may go
     */
    public Map<String, Integer> remaining(String deleterUserId) {
        Map<String, Integer> remaining = new LinkedHashMap<>();
        int otherMembers = (int) memberIds.stream().filter(id -> !id.equals(deleterUserId)).count();
        put(remaining, "members", otherMembers);
        put(remaining, "teams", teams);
        put(remaining, "resources", resources);
        put(remaining, "grants", grants);
        put(remaining, "clients", clients);
        put(remaining, "api_keys", apiKeys);
        put(remaining, "applications", applications);
        put(remaining, "other", other);
        return remaining;
    }

    private static void put(Map<String, Integer> map, String kind, int count) {
        if (count > 0) {
            map.put(kind, count);
        }
    }
}
