package dev.latchkey.infrastructure.account;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.PasswordHasher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;

/**
 * Argon2id (RFC 9106, version 0x13) through Bouncy Castle, stored as a PHC string:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, salt and hash in standard base64 without
 * padding (PHC string format, "B64"). Default parameters: {@link #owasp(SecureRandom)}.
 *
 * <p>Verification is defensive: the stored string must be at most {@value #MAX_PHC_LENGTH} characters
 * and match the one form this class writes (algorithm {@code argon2id}, {@code v=19}, parameters in the
 * order {@code m,t,p}, decimal without leading zeros, canonical unpadded base64), and its parameters
 * must lie within {@link Argon2Parameters}' bounds, all before any hashing; anything else throws
 * {@link AccountException#unreadablePasswordHash()}. Hashes are compared with
 * {@link MessageDigest#isEqual} (constant time). A match with other parameters than the configured ones
 * asks for a rehash.
 *
 * <p>{@link #verifyDummy} verifies against a PHC string made at construction with the configured parameters, a
 * random salt and a random tag (no hash is computed for it: the tag's value does not change what a verify costs, and
 * no password matches random 256 bits), so it costs what a real verify of a current hash costs. Users whose stored
 * hash still has older parameters take their old cost until they log in once (then they are rehashed).
 *
 * <p>Thread-safe: each call builds its own Bouncy Castle generator. Memory per call is {@code m} KiB
 * (19 MiB with the OWASP parameters), allocated per call. Construction computes nothing. The first hash in a fresh
 * JVM runs partly interpreted (≈ 250–370 ms with C1 on the development machine against ≈ 130 ms warm with C1 and
 * ≈ 45 ms with C2): {@link #warmUp()} pays it ahead of time — SnapStart priming calls it before the snapshot — and a
 * function whose routes never hash never pays it.
 */
public final class Argon2idPasswordHasher implements PasswordHasher {

    /** Longest stored string accepted; 64-byte salt and hash with the largest parameters fit in 220. */
    static final int MAX_PHC_LENGTH = 256;

    private static final Pattern PHC = Pattern.compile("\\$argon2id\\$v=19\\$m=([1-9][0-9]{0,9}),t=([1-9][0-9]{0,9}),"
            + "p=([1-9][0-9]{0,9})\\$([A-Za-z0-9+/]{11,86})\\$([A-Za-z0-9+/]{22,86})");

    private final Argon2Parameters parameters;
    private final SecureRandom random;
    private final String dummyPhc;

    /**
     * A hasher; computes nothing (see {@link #warmUp()}).
     *
     * @param parameters the parameters for new hashes; stored hashes with others still verify
     * @param random the source of salts
     */
    public Argon2idPasswordHasher(Argon2Parameters parameters, SecureRandom random) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.random = Objects.requireNonNull(random, "random");
        byte[] salt = new byte[parameters.saltLength()];
        byte[] tag = new byte[parameters.hashLength()];
        random.nextBytes(salt);
        random.nextBytes(tag);
        this.dummyPhc = phc(parameters, salt, tag);
    }

    /** A hasher with the OWASP parameters ({@link Argon2Parameters#owasp()}). */
    public static Argon2idPasswordHasher owasp(SecureRandom random) {
        return new Argon2idPasswordHasher(Argon2Parameters.owasp(), random);
    }

    /** The parameters new hashes get. */
    public Argon2Parameters parameters() {
        return parameters;
    }

    @Override
    public String hash(String normalizedPassword) {
        Objects.requireNonNull(normalizedPassword, "normalizedPassword");
        byte[] salt = new byte[parameters.saltLength()];
        random.nextBytes(salt);
        return phc(parameters, salt, compute(normalizedPassword, salt, parameters));
    }

    /**
     * Hashes a random throwaway input once with the configured parameters and discards the result, so that Bouncy
     * Castle's Argon2id classes are loaded and its code compiled before the first real hash: SnapStart priming
     * calls it before the snapshot (not at init: a background warm-up there measured slower, docs/performance.md).
     * Costs one hash.
     */
    public void warmUp() {
        byte[] throwaway = new byte[32];
        random.nextBytes(throwaway);
        hash(Base64.getEncoder().encodeToString(throwaway));
    }

    private static String phc(Argon2Parameters p, byte[] salt, byte[] tag) {
        return "$argon2id$v=19$m=" + p.memoryKiB() + ",t=" + p.iterations() + ",p=" + p.parallelism() + "$" + b64(salt)
                + "$" + b64(tag);
    }

    @Override
    public Verification verify(String phc, String normalizedPassword) {
        Objects.requireNonNull(normalizedPassword, "normalizedPassword");
        Stored stored = parse(phc);
        byte[] actual = compute(normalizedPassword, stored.salt(), stored.parameters());
        if (!MessageDigest.isEqual(actual, stored.hash())) {
            return Verification.mismatch();
        }
        return Verification.match(!stored.parameters().equals(parameters));
    }

    @Override
    public void verifyDummy(String normalizedPassword) {
        verify(dummyPhc, normalizedPassword);
    }

    /** The PHC string {@link #verifyDummy} verifies against (for tests). */
    String dummyPhc() {
        return dummyPhc;
    }

    /** A parsed PHC string. */
    record Stored(Argon2Parameters parameters, byte[] salt, byte[] hash) {
    }

    /**
     * Parses a stored PHC string without computing anything.
     *
     * @throws AccountException {@code UNREADABLE_PASSWORD_HASH} for anything but a bounded Argon2id v19 string
     */
    static Stored parse(String phc) {
        if (phc == null || phc.length() > MAX_PHC_LENGTH) {
            throw AccountException.unreadablePasswordHash();
        }
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            throw AccountException.unreadablePasswordHash();
        }
        try {
            byte[] salt = unb64(m.group(4));
            byte[] hash = unb64(m.group(5));
            Argon2Parameters parameters = new Argon2Parameters(intValue(m.group(1)), intValue(m.group(2)),
                    intValue(m.group(3)), salt.length, hash.length);
            return new Stored(parameters, salt, hash);
        } catch (IllegalArgumentException e) {
            throw AccountException.unreadablePasswordHash();
        }
    }

    /**
     * Raw Argon2id, version 0x13, through the same Bouncy Castle path as every hash (RFC 9106 §3). Only
     * for {@code hash}, {@code verify} and the RFC 9106 §5.3 known-answer test, which needs the secret and
     * associated data inputs Latchkey does not otherwise use.
     *
     * @param secret the optional key {@code K}, or {@code null}
     * @param associatedData the optional {@code X}, or {@code null}
     */
    static byte[] argon2id(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, int memoryKiB,
            int iterations, int parallelism, int tagLength) {
        org.bouncycastle.crypto.params.Argon2Parameters.Builder builder =
                new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                        org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt);
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (associatedData != null) {
            builder.withAdditional(associatedData);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(builder.build());
        byte[] tag = new byte[tagLength];
        generator.generateBytes(password, tag);
        return tag;
    }

    private static byte[] compute(String normalizedPassword, byte[] salt, Argon2Parameters p) {
        byte[] password = normalizedPassword.getBytes(StandardCharsets.UTF_8);
        try {
            return argon2id(password, salt, null, null, p.memoryKiB(), p.iterations(), p.parallelism(),
                    p.hashLength());
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private static int intValue(String digits) {
        long value = Long.parseLong(digits);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameter too large");
        }
        return (int) value;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Standard base64 without padding, canonical only (no stray low bits), as the PHC format requires. */
    private static byte[] unb64(String text) {
        byte[] bytes = Base64.getDecoder().decode(text);
        if (!b64(bytes).equals(text)) {
            throw new IllegalArgumentException("non-canonical base64");
        }
        return bytes;
    }
}
