package dev.latchkey.core.session;

import dev.latchkey.core.login.AuthenticatedUser;
import dev.latchkey.core.token.InvalidTokenException;
import java.time.Clock;
import java.util.Objects;

/**
 * For routes that add a way to sign in (a passkey): the caller's access token is not enough, its session
 * must still be live. Access tokens are stateless and outlive a logout, password change or reset by up to
 * their lifetime; without this check an attacker holding a stolen token could, within those minutes,
 * register a passkey of their own and keep access after the victim reset the password. One strongly
 * consistent read of the session item.
 */
public final class LiveSessions {

    private final SessionRepository sessions;
    private final Clock clock;

    /**
     * @param sessions the session store
     * @param clock for idle and absolute expiry
     */
    public LiveSessions(SessionRepository sessions, Clock clock) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Checks that the caller's session exists, belongs to the caller and is usable now.
     *
     * @return the caller, for chaining
     * @throws InvalidTokenException 401 {@code invalid_token} ({@code SESSION_ENDED}) otherwise
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed)
     */
    public AuthenticatedUser require(AuthenticatedUser caller) {
        boolean live = sessions.find(caller.sessionId())
                .filter(session -> session.userId().equals(caller.userId()))
                .filter(session -> session.isUsableAt(clock.instant()))
                .isPresent();
        if (!live) {
            throw new InvalidTokenException(InvalidTokenException.Reason.SESSION_ENDED);
        }
        return caller;
    }
}
