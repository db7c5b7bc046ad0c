package dev.latchkey.core.sso;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Consents} in memory, for unit tests. */
public final class InMemoryConsents implements Consents {

    private final Map<String, Set<String>> granted = new ConcurrentHashMap<>();

    @Override
    public Set<String> granted(String userId, String clientId) {
        return Set.copyOf(granted.getOrDefault(userId + " " + clientId, Set.of()));
    }

    @Override
    public synchronized void grant(String userId, String clientId, Set<String> scopes, Instant at) {
        granted.computeIfAbsent(userId + " " + clientId, k -> new HashSet<>()).addAll(scopes);
    }
}
