package dev.latchkey.core.session;

import dev.latchkey.core.vault.InMemoryPeppers;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.InMemoryKeyRingRepository;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.login.BearerAuthentication;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.vault.InMemoryKeyVault;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every session use case wired to in-memory fakes, a mutable clock and a real active signing key;
 * one user ({@link #user}) ready to log in.
 */
public final class SessionFixture {

    public static final Instant T0 = Instant.parse("2026-03-12T10:00:00Z");
    public static final String ISSUER = "https://auth.example.test";

    public final MutableClock clock = new MutableClock(T0);
    public final SecureRandom random = new SecureRandom();
    public final SortableIdGenerator ids = new SortableIdGenerator(clock, random);
    public final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    public final InMemorySessionRepository sessions = new InMemorySessionRepository();
    public final InMemoryPeppers peppers = new InMemoryPeppers();
    public final Map<String, UserProfile> userTable = new ConcurrentHashMap<>();
    public final UserProfiles users = id -> Optional.ofNullable(userTable.get(id));
    public final SessionPolicy policy = SessionPolicy.defaults();
    public final InMemoryKeyRingRepository ring = new InMemoryKeyRingRepository();
    public final InMemoryKeyVault vault = new InMemoryKeyVault();
    public final CurrentKeys keys = new CurrentKeys(ring, vault, KeyPolicy.defaults(), clock, Duration.ofMinutes(5));
    public final RefreshTokenCrypto crypto = new RefreshTokenCrypto(peppers, random);
    public final SessionTokens tokens = new SessionTokens(keys, () -> ISSUER, policy, clock, random);
    public final StartSession start = new StartSession(sessions, crypto, tokens, policy, audit, ids, clock, random);
    public final RefreshSession refresh = new RefreshSession(sessions, users, crypto, tokens, policy, audit, ids,
            clock, random);
    public final RevokeToken revoke = new RevokeToken(sessions, crypto, audit, ids, clock);
    public final LiveAccessTokens live = new LiveAccessTokens(sessions, clock);
    public final EndSession endSession = new EndSession(sessions, crypto, audit, ids, clock);
    public final ListSessions listSessions = new ListSessions(sessions, clock);
    public final EndSessionById endSessionById = new EndSessionById(sessions, crypto, audit, ids, clock);
    public final EndAllSessions endAllSessions = new EndAllSessions(sessions, crypto, audit, ids, clock);
    public final UserProfile user;
    public final String organizationId;

    public SessionFixture() {
        new RotateSigningKeys(ring, vault, KeyPolicy.defaults(), audit, ids, clock, random).run("setup");
        user = newUser("ada@example.com", "Ada Lovelace");
        organizationId = ids.next(IdPrefix.ORGANIZATION);
    }

    /** A stored user with a fresh id. */
    public UserProfile newUser(String email, String name) {
        UserProfile profile = new UserProfile(ids.next(IdPrefix.USER), email, name);
        userTable.put(profile.id(), profile);
        return profile;
    }

    /** Logs {@link #user} in with a password. */
    public TokenResponse login() {
        return login(user);
    }

    /** Logs a user in with a password. */
    public TokenResponse login(UserProfile who) {
        return start.start(new StartSessionCommand(who, organizationId, List.of("pwd"), "203.0.113.10", "req-login"));
    }

    /** Refreshes from 203.0.113.10. */
    public TokenResponse refresh(String refreshToken) {
        return refresh.refresh(refreshToken, "203.0.113.10", "req-refresh");
    }

    /** A verifier for this fixture's access tokens. */
    public AccessTokenVerifier verifier() {
        return new AccessTokenVerifier(keys, ISSUER, Set.of(ISSUER), clock);
    }

    /** The management routes' authentication over this fixture's verifier and sessions. */
    public BearerAuthentication bearer() {
        return new BearerAuthentication(verifier(), live);
    }

    /** The stored session. */
    public Session session(String sessionId) {
        return sessions.find(sessionId).orElseThrow();
    }
}
