package dev.latchkey.core.audit;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who caused an audited event: a kind and an identifier of that kind. Identifiers are ids, never
 * email addresses, names or credentials: the id patterns below cannot hold an {@code @}.
 *
 * @param type the kind of actor
 * @param id {@code usr_…} for {@link ActorType#USER}, {@code key_…} for {@link ActorType#API_KEY},
 *     {@code cli_…} or {@code app_…} for {@link ActorType#CLIENT}, {@value #ANONYMOUS_ID} for
 *     {@link ActorType#ANONYMOUS},
 *     a component name such as {@code rotate-keys} for {@link ActorType#SYSTEM}
 */
public record Actor(ActorType type, String id) {

    /** The id of every {@link ActorType#ANONYMOUS} actor. */
    public static final String ANONYMOUS_ID = "anonymous";

    private static final Pattern SYSTEM_ID = Pattern.compile("[a-z][a-z0-9-]{1,63}");

    /** @throws IllegalArgumentException when the id does not fit the type */
    public Actor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        boolean valid = switch (type) {
            case USER -> AuditIds.isId(id, "usr");
            case API_KEY -> AuditIds.isId(id, "key");
            case CLIENT -> AuditIds.isId(id, "cli") || AuditIds.isId(id, "app");
            case ANONYMOUS -> id.equals(ANONYMOUS_ID);
            case SYSTEM -> SYSTEM_ID.matcher(id).matches();
        };
        if (!valid) {
            throw new IllegalArgumentException("actor id does not fit actor type " + type);
        }
    }

    /** A signed-in user. */
    public static Actor user(String userId) {
        return new Actor(ActorType.USER, userId);
    }

    /** An API key, by its key id. */
    public static Actor apiKey(String keyId) {
        return new Actor(ActorType.API_KEY, keyId);
    }

    /** A service client, by its client id. */
    public static Actor client(String clientId) {
        return new Actor(ActorType.CLIENT, clientId);
    }

    /** An unidentified caller. */
    public static Actor anonymous() {
        return new Actor(ActorType.ANONYMOUS, ANONYMOUS_ID);
    }

    /** Latchkey itself, named by component ({@code [a-z][a-z0-9-]{1,63}}). */
    public static Actor system(String component) {
        return new Actor(ActorType.SYSTEM, component);
    }
}
