package dev.latchkey.core.account;

/**
 * Port: one-way password hashing into self-describing PHC strings (ASVS 5.0 11.4.2). Adapter:
 * {@code Argon2idPasswordHasher} (Argon2id, OWASP parameters).
 *
 * <p>Every password given to a hasher is the output of {@link PasswordPolicy#normalize(String)}, at
 * registration and at login alike, so the two always hash the same bytes. Passwords travel as
 * {@link String} (no {@code char[]} pretence: they arrived in a JSON body); implementations never log
 * them, keep them, or put them, a hash or a salt into an exception.
 */
public interface PasswordHasher {

    /**
     * Hashes a password with a fresh random salt and the current parameters.
     *
     * @param normalizedPassword the normalized password
     * @return a PHC string, for example {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}
     */
    String hash(String normalizedPassword);

    /**
     * Verifies a password against a stored PHC string, using the parameters stored in it, with a
     * constant-time comparison of the hashes.
     *
     * @param phc a string written by {@link #hash(String)} (now or with earlier parameters)
     * @param normalizedPassword the normalized password
     * @return whether it matches, and whether the caller should store a new {@link #hash(String)}
     * @throws AccountException {@code INTERNAL_ERROR} / {@code UNREADABLE_PASSWORD_HASH} when the stored
     *     string is malformed, of an unknown algorithm or version, or has parameters out of bounds;
     *     nothing is hashed then, so a tampered record cannot cost unbounded memory or time
     */
    Verification verify(String phc, String normalizedPassword);

    /**
     * Does the work of one {@link #verify} with the current parameters against a fixed hash, and
     * discards the result: call it when no user has the given email, so that the answer takes as long
     * as a wrong password for a real user (ASVS 5.0 6.3.8). Never throws for a normalized password.
     */
    void verifyDummy(String normalizedPassword);

    /**
     * The outcome of {@link #verify}.
     *
     * @param matches whether the password is right
     * @param needsRehash whether the stored hash used other parameters than the current ones; only
     *     ever true together with {@code matches} (a wrong password never triggers a write)
     */
    record Verification(boolean matches, boolean needsRehash) {

        /** Refuses {@code needsRehash} without {@code matches}. */
        public Verification {
            if (needsRehash && !matches) {
                throw new IllegalArgumentException("needsRehash requires a matching password");
            }
        }

        /** The password is right. */
        public static Verification match(boolean needsRehash) {
            return new Verification(true, needsRehash);
        }

        /** The password is wrong. */
        public static Verification mismatch() {
            return new Verification(false, false);
        }
    }
}
