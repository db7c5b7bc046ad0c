package dev.latchkey.core.apikey;

/**
 * The current fixed window of one of a metered key's own rate limits, as stored on the key's item next to its credits
 * (docs/api-keys.md "One write for credits and the key's own limit"): the window's start and how many requests it has
 * counted. A key with credits keeps the counter of the limit a verify applies on its own item, so that the limit and
 * the credits are one conditional {@code UpdateItem} ({@link ApiKeyRepository#spendWithinLimit}).
 *
 * @param start the window's start, epoch seconds ({@link dev.latchkey.core.ratelimit.FixedWindow#start})
 * @param count requests counted in it
 */
public record MeteredWindow(long start, long count) {

    /** The count in the window starting at {@code currentStart}: 0 when this is an older window. */
    public long countIn(long currentStart) {
        return start >= currentStart ? count : 0;
    }
}
