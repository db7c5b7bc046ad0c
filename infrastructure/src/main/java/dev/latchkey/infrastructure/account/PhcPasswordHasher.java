package dev.latchkey.infrastructure.account;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.PasswordHasher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The password hasher every deployment uses: new hashes are Argon2id ({@link Argon2idPasswordHasher}); stored hashes
 * may also be the PHC-style strings other identity systems export (issue 18: {@code latchkey import}), which verify
 * once and then ask for a rehash, so the user's next successful login stores Argon2id (like Auth0's bulk import):
 * <ul>
 *   <li>bcrypt, OpenBSD modular crypt {@code $2a$}, {@code $2b$}, {@code $2y$} (cost 4–{@value #MAX_BCRYPT_COST});
 *       passwords longer than bcrypt's 72 bytes never match (other systems silently truncate them, which this one
 *       refuses to imitate);</li>
 *   <li>scrypt, {@code $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>} (passlib's PHC form; at most
 *       {@value #MAX_SCRYPT_BYTES} bytes of memory);</li>
 *   <li>PBKDF2, {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>} (passlib's form, adapted base64 with {@code .}
 *       for {@code +}), also {@code -sha1} and {@code -sha512}, and the PHC form {@code $pbkdf2-sha256$i=<n>$…}
 *       (at most {@value #MAX_PBKDF2_ITERATIONS} iterations).</li>
 * </ul>
 *
 * <p>Every bound is checked before any work (a tampered or hostile import cannot cost unbounded memory or time), and
 * anything else throws {@link AccountException#unreadablePasswordHash()}, as for a malformed Argon2id string. Hashes
 * are compared in constant time. Bouncy Castle's lightweight classes (bcrypt, scrypt, PBKDF2) come from the same
 * subset module as Argon2id ({@code infrastructure/argon2}).
 */
public final class PhcPasswordHasher implements PasswordHasher {

    /** The highest bcrypt cost accepted (2^16 rounds, about 5 s): beyond it a stored hash is refused unread. */
    static final int MAX_BCRYPT_COST = 16;
    /** The most memory an imported scrypt hash may ask for: 128 MiB. */
    static final long MAX_SCRYPT_BYTES = 128L * 1024 * 1024;
    /** The most iterations an imported PBKDF2 hash may ask for. */
    static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
    /** Longest stored string of any format. */
    static final int MAX_LENGTH = 512;

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$([0-9]{2})\\$[./A-Za-z0-9]{53}");
    private static final Pattern SCRYPT = Pattern.compile(
            "\\$scrypt\\$ln=([1-9][0-9]?),r=([1-9][0-9]{0,2}),p=([1-9][0-9]{0,2})\\$([A-Za-z0-9+/.]{4,128})"
                    + "\\$([A-Za-z0-9+/.]{22,172})");
    private static final Pattern PBKDF2 = Pattern.compile(
            "\\$pbkdf2(?:-(sha1|sha256|sha512))?\\$(?:i=)?([1-9][0-9]{0,7})\\$([A-Za-z0-9+/.]{4,128})"
                    + "\\$([A-Za-z0-9+/.]{16,172})");

    private final Argon2idPasswordHasher argon2;

    /**
     * @param argon2 what new hashes are, and what verifies Argon2id strings
     */
    public PhcPasswordHasher(Argon2idPasswordHasher argon2) {
        this.argon2 = Objects.requireNonNull(argon2, "argon2");
    }

    /** Argon2id with its parameters ({@link Argon2idPasswordHasher#hash}). */
    @Override
    public String hash(String normalizedPassword) {
        return argon2.hash(normalizedPassword);
    }

    /**
     * Verifies against any supported format; a match of a non-Argon2id hash always asks for a rehash.
     *
     * @throws AccountException {@code UNREADABLE_PASSWORD_HASH} for an unknown format or parameters out of bounds
     */
    @Override
    public Verification verify(String phc, String normalizedPassword) {
        Objects.requireNonNull(normalizedPassword, "normalizedPassword");
        if (phc == null || phc.length() > MAX_LENGTH) {
            throw AccountException.unreadablePasswordHash();
        }
        if (phc.startsWith("$argon2")) {
            return argon2.verify(phc, normalizedPassword);
        }
        boolean matches;
        if (phc.startsWith("$2")) {
            matches = bcrypt(phc, normalizedPassword);
        } else if (phc.startsWith("$scrypt$")) {
            matches = scrypt(phc, normalizedPassword);
        } else if (phc.startsWith("$pbkdf2")) {
            matches = pbkdf2(phc, normalizedPassword);
        } else {
            throw AccountException.unreadablePasswordHash();
        }
        return matches ? Verification.match(true) : Verification.mismatch();
    }

    @Override
    public void verifyDummy(String normalizedPassword) {
        argon2.verifyDummy(normalizedPassword);
    }

    /**
     * Whether a stored string is one this hasher can verify, checked without hashing anything (the importer's
     * check of each line).
     */
    public static boolean recognizes(String phc) {
        if (phc == null || phc.length() > MAX_LENGTH) {
            return false;
        }
        try {
            if (phc.startsWith("$argon2")) {
                Argon2idPasswordHasher.parse(phc);
                return true;
            }
            if (phc.startsWith("$2")) {
                bcryptCost(phc);
                return true;
            }
            if (phc.startsWith("$scrypt$")) {
                Scrypt.parse(phc);
                return true;
            }
            if (phc.startsWith("$pbkdf2")) {
                Pbkdf2.parse(phc);
                return true;
            }
            return false;
        } catch (AccountException e) {
            return false;
        }
    }

    private static int bcryptCost(String phc) {
        Matcher m = BCRYPT.matcher(phc);
        if (!m.matches()) {
            throw AccountException.unreadablePasswordHash();
        }
        int cost = Integer.parseInt(m.group(1));
        if (cost < 4 || cost > MAX_BCRYPT_COST) {
            throw AccountException.unreadablePasswordHash();
        }
        return cost;
    }

    private static boolean bcrypt(String phc, String password) {
        bcryptCost(phc);
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            return false;
        }
        char[] chars = password.toCharArray();
        try {
            // Bouncy Castle compares in constant time (Arrays.constantTimeAreEqual over the whole string).
            return OpenBSDBCrypt.checkPassword(phc, chars);
        } catch (IllegalArgumentException e) {
            throw AccountException.unreadablePasswordHash();
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** A parsed scrypt string. */
    private record Scrypt(int n, int r, int p, byte[] salt, byte[] hash) {

        static Scrypt parse(String phc) {
            Matcher m = SCRYPT.matcher(phc);
            if (!m.matches()) {
                throw AccountException.unreadablePasswordHash();
            }
            int ln = Integer.parseInt(m.group(1));
            int r = Integer.parseInt(m.group(2));
            int p = Integer.parseInt(m.group(3));
            if (ln > 24 || p > 16 || 128L * r * (1L << ln) > MAX_SCRYPT_BYTES || (long) r * p >= 1 << 30) {
                throw AccountException.unreadablePasswordHash();
            }
            return new Scrypt(1 << ln, r, p, decode(m.group(4)), decode(m.group(5)));
        }
    }

    private static boolean scrypt(String phc, String password) {
        Scrypt stored = Scrypt.parse(phc);
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] actual = SCrypt.generate(bytes, stored.salt(), stored.n(), stored.r(), stored.p(),
                    stored.hash().length);
            return MessageDigest.isEqual(actual, stored.hash());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A parsed PBKDF2 string. */
    private record Pbkdf2(String digest, int iterations, byte[] salt, byte[] hash) {

        static Pbkdf2 parse(String phc) {
            Matcher m = PBKDF2.matcher(phc);
            if (!m.matches()) {
                throw AccountException.unreadablePasswordHash();
            }
            int iterations = Integer.parseInt(m.group(2));
            if (iterations > MAX_PBKDF2_ITERATIONS) {
                throw AccountException.unreadablePasswordHash();
            }
            byte[] hash = decode(m.group(4));
            if (hash.length < 16 || hash.length > 128) {
                throw AccountException.unreadablePasswordHash();
            }
            return new Pbkdf2(m.group(1) == null ? "sha1" : m.group(1), iterations, decode(m.group(3)), hash);
        }

        Digest newDigest() {
            return switch (digest) {
                case "sha256" -> new SHA256Digest();
                case "sha512" -> new SHA512Digest();
                default -> new SHA1Digest();
            };
        }
    }

    private static boolean pbkdf2(String phc, String password) {
        Pbkdf2 stored = Pbkdf2.parse(phc);
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        try {
            PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(stored.newDigest());
            generator.init(bytes, stored.salt(), stored.iterations());
            byte[] actual = ((KeyParameter) generator.generateDerivedParameters(stored.hash().length * 8)).getKey();
            return MessageDigest.isEqual(actual, stored.hash());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Standard or passlib-adapted ({@code .} for {@code +}) base64, padded or not. */
    private static byte[] decode(String text) {
        try {
            return Base64.getDecoder().decode(text.replace('.', '+'));
        } catch (IllegalArgumentException e) {
            throw AccountException.unreadablePasswordHash();
        }
    }
}
