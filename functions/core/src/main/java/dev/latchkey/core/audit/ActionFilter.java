package dev.latchkey.core.audit;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which actions a query wants: one exact action code, or every action under a dotted prefix.
 *
 * @param value an action code ({@link AuditEvent#isAction}) when exact; a prefix ending in {@code .}
 *     (such as {@code auth.} or {@code auth.login.}) otherwise
 * @param prefix whether {@code value} is a prefix
 */
public record ActionFilter(String value, boolean prefix) {

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*\\.");

    /** @throws AuditException {@code VALIDATION_ERROR} for any other shape */
    public ActionFilter {
        Objects.requireNonNull(value, "value");
        boolean valid = prefix ? value.length() <= 64 && PREFIX.matcher(value).matches() : AuditEvent.isAction(value);
        if (!valid) {
            throw AuditException.invalid("action", "Action must be an action code or a prefix ending in '.'.");
        }
    }

    /** Exactly this action. */
    public static ActionFilter exactly(String action) {
        return new ActionFilter(action, false);
    }

    /** Every action starting with {@code prefix}, which ends in {@code .}. */
    public static ActionFilter startingWith(String prefix) {
        return new ActionFilter(prefix, true);
    }

    /** Reads a query parameter: a trailing {@code .} means a prefix ({@code auth.}), else exact. */
    public static ActionFilter parse(String text) {
        Objects.requireNonNull(text, "text");
        return new ActionFilter(text, text.endsWith("."));
    }

    /** Whether {@code action} passes this filter. */
    public boolean matches(String action) {
        return prefix ? action.startsWith(value) : action.equals(value);
    }
}
