package dev.latchkey.core.session;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link SessionRepository} with the real conditional contract (each method is atomic).
 * Counts calls so tests can prove "no I/O".
 */
public final class InMemorySessionRepository implements SessionRepository {

    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, RefreshTokenRecord> tokens = new LinkedHashMap<>();
    private final Map<String, Instant> denied = new LinkedHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private Runnable beforeRotate = () -> { };

    /** How many port methods were called. */
    public int calls() {
        return calls.get();
    }

    /** Runs an action just before the next rotation's conditions are checked (a concurrent request). */
    public synchronized InMemorySessionRepository beforeNextRotate(Runnable action) {
        this.beforeRotate = action;
        return this;
    }

    /** Every stored refresh-token record. */
    public synchronized List<RefreshTokenRecord> tokens() {
        return List.copyOf(tokens.values());
    }

    @Override
    public synchronized void create(Session session, RefreshTokenRecord firstToken) {
        calls.incrementAndGet();
        if (sessions.containsKey(session.sessionId()) || tokens.containsKey(firstToken.tokenId())) {
            throw new IllegalStateException("session or refresh token id already exists");
        }
        sessions.put(session.sessionId(), session);
        tokens.put(firstToken.tokenId(), firstToken);
    }

    @Override
    public synchronized Optional<RefreshTokenRecord> findRefreshToken(String tokenId) {
        calls.incrementAndGet();
        return Optional.ofNullable(tokens.get(tokenId));
    }

    @Override
    public synchronized Optional<Session> find(String sessionId) {
        calls.incrementAndGet();
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public boolean rotate(Rotation rotation) {
        Runnable action;
        synchronized (this) {
            action = beforeRotate;
            beforeRotate = () -> { };
        }
        action.run();
        synchronized (this) {
            calls.incrementAndGet();
            RefreshTokenRecord current = tokens.get(rotation.currentTokenId());
            Session session = sessions.get(rotation.sessionId());
            boolean ok = current != null && current.state() == RefreshTokenState.ACTIVE
                    && current.sessionId().equals(rotation.sessionId())
                    && current.generation() == rotation.expectedGeneration()
                    && !tokens.containsKey(rotation.successorTokenId())
                    && session != null && session.status() == SessionStatus.ACTIVE
                    && session.generation() == rotation.expectedGeneration()
                    && session.idleExpiresAt().isAfter(rotation.now())
                    && session.absoluteExpiresAt().isAfter(rotation.now());
            if (!ok) {
                return false;
            }
            tokens.put(current.tokenId(), current.rotated(rotation.now(), rotation.successorSealed()));
            tokens.put(rotation.successorTokenId(), RefreshTokenRecord.active(rotation.successorTokenId(),
                    rotation.sessionId(), rotation.expectedGeneration() + 1, rotation.tokenExpiresAt()));
            sessions.put(session.sessionId(), session.with(rotation.now(), rotation.idleExpiresAt(),
                    rotation.expectedGeneration() + 1, SessionStatus.ACTIVE, Optional.empty(), Optional.empty()));
            return true;
        }
    }

    @Override
    public synchronized boolean revoke(String sessionId, Instant at, SessionEndReason reason) {
        calls.incrementAndGet();
        Session session = sessions.get(sessionId);
        if (session == null || session.status() != SessionStatus.ACTIVE) {
            return false;
        }
        sessions.put(sessionId, session.with(session.lastUsedAt(), session.idleExpiresAt(), session.generation(),
                SessionStatus.REVOKED, Optional.of(at), Optional.of(reason)));
        return true;
    }

    @Override
    public synchronized AccessTokenRecords findAccessTokenRecords(String jwtId, Optional<String> sessionId) {
        calls.incrementAndGet();
        return new AccessTokenRecords(sessionId.map(sessions::get), denied.containsKey(jwtId));
    }

    @Override
    public synchronized boolean denyAccessToken(String jwtId, Instant revokedAt, Instant until) {
        calls.incrementAndGet();
        return denied.putIfAbsent(jwtId, until) == null;
    }

    /** The deny-list: each revoked {@code jti} with the end of its entry. */
    public synchronized Map<String, Instant> denied() {
        return Map.copyOf(denied);
    }

    @Override
    public synchronized List<Session> findByUser(String userId) {
        calls.incrementAndGet();
        return sessions.values().stream().filter(s -> s.userId().equals(userId))
                .sorted(Comparator.comparing(Session::createdAt).reversed()).toList();
    }
}
