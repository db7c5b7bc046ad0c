package dev.latchkey.core.config;

import java.util.List;

/**
 * The environment holds one or more bad {@code LATCHKEY_*} values. The message names each variable
 * and what is wrong with it, never the value itself (it may be a secret).
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** @param problems one line per bad variable */
    public ConfigException(List<String> problems) {
        super("Invalid Latchkey configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per bad variable. */
    public List<String> problems() {
        return problems;
    }
}
