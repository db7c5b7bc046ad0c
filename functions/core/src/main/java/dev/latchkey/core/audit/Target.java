package dev.latchkey.core.audit;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an audited event acted on, for example {@code api_key}/{@code key_…} or
 * {@code signing_key}/{@code <kid>}. Ids only: no email address, name or secret fits the pattern.
 *
 * @param type {@code [a-z][a-z0-9_]{1,31}}: {@code user}, {@code organization}, {@code membership},
 *     {@code api_key}, {@code session}, {@code passkey}, {@code client}, {@code signing_key}…
 * @param id {@code [A-Za-z0-9_.:-]{1,128}}
 */
public record Target(String type, String id) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{1,31}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    /** @throws IllegalArgumentException when the type or id has another shape */
    public Target {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("target type must match " + TYPE.pattern());
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("target id must match " + ID.pattern());
        }
    }
}
