package dev.latchkey.core.team;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link TeamMemberships} for unit tests (shared through the core test jar): each read sees the
 * latest change, like the table's strongly consistent reads. Counts reads.
 */
public class InMemoryTeamRepository implements TeamMemberships {

    /** Team ids by {@code orgId/userId}. */
    protected final Map<String, Set<String>> teamsOfUser = new TreeMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    /** Puts the user in the team (no checks: for arranging tests). */
    public synchronized InMemoryTeamRepository addMember(String organizationId, String teamId, String userId) {
        teamsOfUser.computeIfAbsent(organizationId + "/" + userId, k -> new TreeSet<>()).add(teamId);
        return this;
    }

    /** Takes the user out of the team, if in it. */
    public synchronized InMemoryTeamRepository removeMember(String organizationId, String teamId, String userId) {
        Set<String> teams = teamsOfUser.get(organizationId + "/" + userId);
        if (teams != null) {
            teams.remove(teamId);
        }
        return this;
    }

    /** How many times {@link #teamIds} was called. */
    public int reads() {
        return reads.get();
    }

    @Override
    public synchronized Set<String> teamIds(String organizationId, String userId) {
        reads.incrementAndGet();
        return Set.copyOf(teamsOfUser.getOrDefault(organizationId + "/" + userId, Set.of()));
    }
}
