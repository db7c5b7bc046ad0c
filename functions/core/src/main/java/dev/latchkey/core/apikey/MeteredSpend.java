package dev.latchkey.core.apikey;

import java.util.OptionalLong;

/**
 * The outcome of {@link ApiKeyRepository#spendWithinLimit}: the key's own limit and its credits in one conditional
 * write.
 *
 * @param count the window's count that decides the limit: after this verify's cost when it was counted or refused
 *     by the limit, before it when the credits refused it (nothing was counted)
 * @param withinLimit false when the limit refused the verify ({@code RATE_LIMITED}; nothing written)
 * @param credits the credits left after spending; empty when too few were left ({@code USAGE_EXCEEDED}; nothing
 *     written) or the limit refused
 */
public record MeteredSpend(long count, boolean withinLimit, OptionalLong credits) {

    /** Whether the verify was counted and its credits spent. */
    public boolean spent() {
        return withinLimit && credits.isPresent();
    }
}
