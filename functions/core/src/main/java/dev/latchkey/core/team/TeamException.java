package dev.latchkey.core.team;

import dev.latchkey.core.text.DisplayName;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Locale;
import java.util.Map;

/** The team use cases' errors, and the one rule for a team's name. Messages never carry ids of others. */
public final class TeamException extends LatchkeyException {

    /** Longest team name. */
    public static final int MAX_NAME = 100;

    private static final long serialVersionUID = 1L;

    private TeamException(ErrorCode code, String message, Map<String, Object> details) {
        super(code, message, details, null);
    }

    /** 400 for one field. */
    public static TeamException invalid(String field, String reason, String message) {
        return new TeamException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field, "reason", reason));
    }

    /** 404: no such team in this organization. */
    public static TeamException notFound() {
        return new TeamException(ErrorCode.NOT_FOUND, "Team not found.", Map.of());
    }

    /** 404: the user is not a member of the organization (so cannot join one of its teams). */
    public static TeamException notAnOrganizationMember() {
        return new TeamException(ErrorCode.NOT_FOUND, "User is not a member of this organization.",
                Map.of("reason", "NOT_AN_ORGANIZATION_MEMBER"));
    }

    /** 404: the user is not in this team. */
    public static TeamException notATeamMember() {
        return new TeamException(ErrorCode.NOT_FOUND, "User is not a member of this team.",
                Map.of("reason", "NOT_A_TEAM_MEMBER"));
    }

    /** 409 with a stable reason ({@code NAME_TAKEN}, {@code CONCURRENT_CHANGE}, {@code TEAM_TOO_LARGE}). */
    public static TeamException conflict(String reason, String message) {
        return new TeamException(ErrorCode.CONFLICT, message, Map.of("reason", reason));
    }

    /**
     * A team name: stripped, 1–{@value #MAX_NAME} characters, no control characters.
     *
     * @throws TeamException {@code VALIDATION_ERROR} on field {@code name}
     */
    public static String name(String text) {
        String value = DisplayName.normalize(text);
        DisplayName.problem(value, MAX_NAME).ifPresent(problem -> {
            throw invalid("name", problem.name(), DisplayName.message(problem, MAX_NAME));
        });
        return value;
    }

    /** What name uniqueness compares: the name lower-cased (root locale). */
    public static String nameKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
