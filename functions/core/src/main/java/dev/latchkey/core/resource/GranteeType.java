package dev.latchkey.core.resource;

import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.Ids;
import java.util.Locale;
import java.util.Optional;

/** Who a grant is for, told by the grantee id's prefix: a member ({@code usr_}), a team, a service client. */
public enum GranteeType {
    USER(IdPrefix.USER),
    TEAM(IdPrefix.TEAM),
    CLIENT(IdPrefix.CLIENT);

    private final IdPrefix prefix;

    GranteeType(IdPrefix prefix) {
        this.prefix = prefix;
    }

    /** The stored and JSON text: {@code user}, {@code team}, {@code client}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of a well-formed grantee id; empty for anything else. */
    public static Optional<GranteeType> of(String granteeId) {
        for (GranteeType type : values()) {
            if (Ids.matches(type.prefix, granteeId)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** From {@link #text()}; empty for an unknown text. */
    public static Optional<GranteeType> parse(String text) {
        for (GranteeType type : values()) {
            if (type.text().equals(text)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
