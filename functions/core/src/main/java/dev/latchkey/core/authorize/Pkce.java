package dev.latchkey.core.authorize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Proof Key for Code Exchange (RFC 7636) with the {@code S256} method only: {@code plain} is refused (RFC 9700 §2.1.1:
 * "SHOULD use S256"; OAuth 2.1 makes PKCE required), so a code stolen from the redirect is useless without the
 * verifier.
 *
 * @param challenge the {@code code_challenge}: base64url SHA-256 of the verifier, 43 characters
 */
public record Pkce(String challenge) {

    /** The only method accepted. */
    public static final String S256 = "S256";

    /** RFC 7636 §4.1: 43–128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    /** RFC 7636 §4.2 with S256: exactly 43 base64url characters (32 bytes, no padding). */
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** Checks the challenge's syntax. */
    public Pkce {
        if (challenge == null || !CHALLENGE.matcher(challenge).matches()) {
            throw new IllegalArgumentException("code_challenge must be 43 base64url characters");
        }
    }

    /**
     * The PKCE of an authorization request (RFC 7636 §4.3, §4.4.1), or why not: a missing {@code code_challenge},
     * a method other than {@code S256} (a missing method means {@code plain}, RFC 7636 §4.3, so it is refused too) or
     * a malformed challenge.
     *
     * @return the PKCE, or empty with {@code problem} set to the {@code error_description}
     */
    public static Result of(String challenge, String method) {
        if (challenge == null || challenge.isEmpty()) {
            return Result.refused("code_challenge is required (PKCE, RFC 7636)");
        }
        if (!S256.equals(method)) {
            return Result.refused("code_challenge_method must be S256");
        }
        if (!CHALLENGE.matcher(challenge).matches()) {
            return Result.refused("code_challenge is not a base64url SHA-256 value");
        }
        return new Result(Optional.of(new Pkce(challenge)), Optional.empty());
    }

    /**
     * The outcome of {@link #of}.
     *
     * @param pkce the PKCE when accepted
     * @param problem the reason when refused
     */
    public record Result(Optional<Pkce> pkce, Optional<String> problem) {
        static Result refused(String problem) {
            return new Result(Optional.empty(), Optional.of(problem));
        }
    }

    /**
     * Whether {@code verifier} is the one this challenge was made from (RFC 7636 §4.6): syntax first, then
     * {@code BASE64URL(SHA256(ASCII(verifier)))} compared in constant time.
     */
    public boolean verifies(String verifier) {
        if (verifier == null || !VERIFIER.matcher(verifier).matches()) {
            return false;
        }
        return MessageDigest.isEqual(challenge.getBytes(StandardCharsets.US_ASCII),
                challengeOf(verifier).getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code BASE64URL(SHA256(ASCII(verifier)))}. */
    public static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
