package dev.latchkey.core.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A fast {@link PasswordHasher} for use-case tests ({@code $test$<sha256>}); records what it hashed. */
public final class FakePasswordHasher implements PasswordHasher {

    private final List<String> hashed = new ArrayList<>();

    /** Every password given to {@link #hash}, in order. */
    public synchronized List<String> hashed() {
        return List.copyOf(hashed);
    }

    @Override
    public synchronized String hash(String normalizedPassword) {
        hashed.add(normalizedPassword);
        return "$test$" + sha256(normalizedPassword);
    }

    @Override
    public Verification verify(String phc, String normalizedPassword) {
        return phc.equals("$test$" + sha256(normalizedPassword)) ? Verification.match(false)
                : Verification.mismatch();
    }

    @Override
    public void verifyDummy(String normalizedPassword) {
        sha256(normalizedPassword);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
