package dev.latchkey.core.vault;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory {@link KeyVault} for unit tests. It does not encrypt: it binds the plaintext to the
 * context's associated data so that a wrong context fails to open, like the real vaults. Checks
 * pass or fail on demand and are counted.
 */
public final class InMemoryKeyVault implements KeyVault {

    private static final byte VERSION = 0x7f;

    private final AtomicInteger checks = new AtomicInteger();
    private volatile RuntimeException failure;

    /** Makes every later check, seal and open throw {@code failure}; {@code null} heals it. */
    public InMemoryKeyVault failWith(RuntimeException value) {
        this.failure = value;
        return this;
    }

    /** How many times {@link #check()} was called. */
    public int checkCount() {
        return checks.get();
    }

    @Override
    public SealedSecret seal(byte[] plaintext, EncryptionContext context) {
        failIfBroken();
        byte[] ad = context.associatedData();
        return SealedSecret.of(ByteBuffer.allocate(1 + 4 + ad.length + plaintext.length)
                .put(VERSION).putInt(ad.length).put(ad).put(plaintext).array());
    }

    @Override
    public byte[] open(SealedSecret sealed, EncryptionContext context) {
        failIfBroken();
        ByteBuffer buffer = ByteBuffer.wrap(sealed.bytes());
        if (buffer.get() != VERSION) {
            throw KeyVaultException.cannotOpen(null);
        }
        byte[] ad = new byte[buffer.getInt()];
        buffer.get(ad);
        if (!MessageDigest.isEqual(ad, context.associatedData())) {
            throw KeyVaultException.cannotOpen(null);
        }
        return Arrays.copyOfRange(sealed.bytes(), buffer.position(), buffer.limit());
    }

    @Override
    public void check() {
        checks.incrementAndGet();
        failIfBroken();
    }

    private void failIfBroken() {
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
    }
}
