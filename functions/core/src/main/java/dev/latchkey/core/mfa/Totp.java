package dev.latchkey.core.mfa;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226): {@code T = floor((unix time − T0) / X)} with
 * {@code T0 = 0}, and the HOTP value of {@code T} truncated to {@code digits} decimal digits.
 *
 * <p>Latchkey enrols SHA-1, 6 digits, 30 s — what every authenticator app supports; SHA-256 and SHA-512 are here
 * for the RFC 6238 Appendix B vectors and future use. {@link #match} compares with
 * {@link MessageDigest#isEqual} against every step of the window without an early exit (RFC 6238 §5.2: a window of
 * one step either side for clock drift and network delay).
 */
public final class Totp {

    /** The HMAC behind the HOTP value (RFC 6238 §1.2). */
    public enum Algorithm {
        /** {@code HmacSHA1}: the authenticator apps' default, {@code algorithm=SHA1} in the URI. */
        SHA1("HmacSHA1"),
        /** {@code HmacSHA256}. */
        SHA256("HmacSHA256"),
        /** {@code HmacSHA512}. */
        SHA512("HmacSHA512");

        private final String jca;

        Algorithm(String jca) {
            this.jca = jca;
        }

        /** The JCA MAC name. */
        public String jca() {
            return jca;
        }
    }

    /** The time step X in seconds (RFC 6238 §4.1 default). */
    public static final int PERIOD_SECONDS = 30;

    /** The code length Latchkey enrols. */
    public static final int DIGITS = 6;

    /** Steps accepted either side of the current one (RFC 6238 §5.2). */
    public static final int WINDOW = 1;

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {
    }

    /** The time step {@code T} of an instant (RFC 6238 §4.2, {@code T0 = 0}). */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), PERIOD_SECONDS);
    }

    /**
     * The code of one time step (RFC 4226 §5.3 dynamic truncation, RFC 6238 §4.2).
     *
     * @param key the shared secret
     * @param step the time step {@code T}
     * @param algorithm the HMAC
     * @param digits 6 to 8
     * @return the code, zero-padded to {@code digits}
     */
    public static String code(byte[] key, long step, Algorithm algorithm, int digits) {
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("digits must be 6 to 8");
        }
        byte[] hash = hmac(key, step, algorithm);
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        String value = Integer.toString(binary % POWERS[digits]);
        return "0".repeat(digits - value.length()) + value;
    }

    /**
     * The step within {@link #WINDOW} of {@code currentStep} whose SHA-1, 6-digit code equals {@code code}.
     * Every step of the window is computed and compared in constant time; no early exit.
     *
     * @param key the shared secret
     * @param code what the user typed (only digits, exactly {@link #DIGITS} of them can match)
     * @param currentStep the verifier's current step
     * @return the matching step (the latest one if, improbably, two match), or empty
     */
    public static OptionalLong match(byte[] key, String code, long currentStep) {
        Objects.requireNonNull(code, "code");
        byte[] typed = code.getBytes(StandardCharsets.US_ASCII);
        long matched = Long.MIN_VALUE;
        for (long step = currentStep - WINDOW; step <= currentStep + WINDOW; step++) {
            byte[] expected = code(key, step, Algorithm.SHA1, DIGITS).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, typed)) {
                matched = step;
            }
        }
        return matched == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(matched);
    }

    private static byte[] hmac(byte[] key, long step, Algorithm algorithm) {
        try {
            Mac mac = Mac.getInstance(algorithm.jca());
            mac.init(new SecretKeySpec(key, algorithm.jca()));
            return mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.jca() + " unavailable", e);
        }
    }
}
