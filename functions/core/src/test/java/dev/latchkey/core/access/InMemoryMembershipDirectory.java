package dev.latchkey.core.access;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link MembershipDirectory} for unit tests (shared through the core test jar): each read sees
 * the latest {@link #put} or {@link #remove}, like the table's strongly consistent read. Counts reads and can
 * fail on demand.
 */
public final class InMemoryMembershipDirectory implements MembershipDirectory {

    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private final Set<String> requiringMfa = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile RuntimeException failure;

    /** Makes the user a member of the organization with the role (or changes the role). */
    public InMemoryMembershipDirectory put(String organizationId, String userId, Role role) {
        roles.put(key(organizationId, userId), Objects.requireNonNull(role, "role"));
        return this;
    }

    /** Ends the user's membership, if any. */
    public InMemoryMembershipDirectory remove(String organizationId, String userId) {
        roles.remove(key(organizationId, userId));
        return this;
    }

    /** Sets the organization's {@code require_mfa}. */
    public InMemoryMembershipDirectory requireMfa(String organizationId, boolean required) {
        if (required) {
            requiringMfa.add(Objects.requireNonNull(organizationId, "organizationId"));
        } else {
            requiringMfa.remove(organizationId);
        }
        return this;
    }

    /** Makes every later read throw {@code value}; {@code null} heals it. */
    public InMemoryMembershipDirectory failWith(RuntimeException value) {
        this.failure = value;
        return this;
    }

    /** How many times {@link #role} or {@link #membership} was called. */
    public int reads() {
        return reads.get();
    }

    @Override
    public Optional<Role> role(String organizationId, String userId) {
        reads.incrementAndGet();
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
        return Optional.ofNullable(roles.get(key(organizationId, userId)));
    }

    @Override
    public Optional<Membership> membership(String organizationId, String userId) {
        return role(organizationId, userId).map(role -> new Membership(role, requiringMfa.contains(organizationId)));
    }

    private static String key(String organizationId, String userId) {
        return Objects.requireNonNull(organizationId, "organizationId") + "/"
                + Objects.requireNonNull(userId, "userId");
    }
}
