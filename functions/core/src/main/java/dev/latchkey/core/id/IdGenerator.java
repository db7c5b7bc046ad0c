package dev.latchkey.core.id;

/** Makes new identifiers. */
public interface IdGenerator {

    /**
     * A new id: the prefix, an underscore and 26 Crockford base32 characters, the first 10 of
     * which encode the creation time in milliseconds, so ids sort by creation time.
     */
    String next(IdPrefix prefix);
}
