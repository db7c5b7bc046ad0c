package dev.latchkey.infrastructure.account;

/**
 * Argon2id cost and size parameters (RFC 9106 §3.1), validated against bounds that keep one hash
 * affordable: a stored hash is parsed into this record before anything is computed, so a tampered
 * record naming a huge memory or time cost is refused instead of exhausting the function.
 *
 * @param memoryKiB memory in KiB ({@code m}), from {@code 8 × parallelism} to {@value #MAX_MEMORY_KIB} (256 MiB:
 *     a quarter of a 1 GiB Lambda, so a tampered stored hash cannot exhaust the function's memory)
 * @param iterations passes over memory ({@code t}), 1 to {@value #MAX_ITERATIONS}
 * @param parallelism lanes ({@code p}), 1 to {@value #MAX_PARALLELISM}
 * @param saltLength salt bytes, {@value #MIN_SALT_LENGTH} to {@value #MAX_SALT_LENGTH}
 * @param hashLength tag bytes, {@value #MIN_HASH_LENGTH} to {@value #MAX_HASH_LENGTH}
 */
public record Argon2Parameters(int memoryKiB, int iterations, int parallelism, int saltLength, int hashLength) {

    /** Largest memory cost accepted, in KiB (256 MiB). */
    public static final int MAX_MEMORY_KIB = 1 << 18;
    /** Largest time cost accepted. */
    public static final int MAX_ITERATIONS = 10;
    /** Largest parallelism accepted. */
    public static final int MAX_PARALLELISM = 16;
    /** Shortest salt accepted (RFC 9106 §3.1 requires 8 bytes; 16 is recommended and used). */
    public static final int MIN_SALT_LENGTH = 8;
    /** Longest salt accepted. */
    public static final int MAX_SALT_LENGTH = 64;
    /** Shortest tag accepted: shorter tags would make collisions cheap. */
    public static final int MIN_HASH_LENGTH = 16;
    /** Longest tag accepted. */
    public static final int MAX_HASH_LENGTH = 64;

    /** Validates every bound. */
    public Argon2Parameters {
        check(parallelism >= 1 && parallelism <= MAX_PARALLELISM, "parallelism");
        check(memoryKiB >= 8 * parallelism && memoryKiB <= MAX_MEMORY_KIB, "memoryKiB");
        check(iterations >= 1 && iterations <= MAX_ITERATIONS, "iterations");
        check(saltLength >= MIN_SALT_LENGTH && saltLength <= MAX_SALT_LENGTH, "saltLength");
        check(hashLength >= MIN_HASH_LENGTH && hashLength <= MAX_HASH_LENGTH, "hashLength");
    }

    /**
     * OWASP Password Storage Cheat Sheet, first Argon2id option: m = 19 MiB (19456 KiB), t = 2, p = 1;
     * a 16-byte salt and a 32-byte tag (RFC 9106 §4).
     */
    public static Argon2Parameters owasp() {
        return new Argon2Parameters(19_456, 2, 1, 16, 32);
    }

    private static void check(boolean ok, String name) {
        if (!ok) {
            throw new IllegalArgumentException("Argon2 " + name + " out of bounds");
        }
    }
}
