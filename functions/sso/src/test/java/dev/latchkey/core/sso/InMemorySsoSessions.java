package dev.latchkey.core.sso;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link SsoSessions} in memory, for unit tests. */
public final class InMemorySsoSessions implements SsoSessions {

    private final Map<String, SsoSession> sessions = new ConcurrentHashMap<>();

    @Override
    public void save(SsoSession session) {
        if (sessions.putIfAbsent(session.cookieHash(), session) != null) {
            throw new IllegalStateException("browser session collision");
        }
    }

    @Override
    public Optional<SsoSession> find(String cookieHash) {
        return Optional.ofNullable(sessions.get(cookieHash));
    }

    @Override
    public void delete(String cookieHash) {
        sessions.remove(cookieHash);
    }

    /** The stored keys (cookie hashes). */
    public Set<String> storedKeys() {
        return Set.copyOf(sessions.keySet());
    }
}
