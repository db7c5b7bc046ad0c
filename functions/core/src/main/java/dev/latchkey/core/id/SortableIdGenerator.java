package dev.latchkey.core.id;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * ULID-style ids (48-bit millisecond time + 80 random bits from a CSPRNG, Crockford base32), with
 * a prefix per kind. Ids made in the same millisecond by one generator stay in creation order: the
 * random part is incremented instead of drawn again, as the ULID spec's monotonic mode does.
 */
public final class SortableIdGenerator implements IdGenerator {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final Clock clock;
    private final SecureRandom random;
    private long lastMillis = -1;
    private final byte[] lastRandom = new byte[10];

    /** @param clock the time source; @param random the CSPRNG */
    public SortableIdGenerator(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    @Override
    public synchronized String next(IdPrefix prefix) {
        long millis = Math.max(clock.millis(), lastMillis);
        if (millis == lastMillis) {
            increment(lastRandom);
        } else {
            random.nextBytes(lastRandom);
            lastMillis = millis;
        }
        StringBuilder id = new StringBuilder(prefix.text().length() + 27).append(prefix.text()).append('_');
        for (int shift = 45; shift >= 0; shift -= 5) {
            id.append(ALPHABET[(int) ((millis >>> shift) & 31)]);
        }
        // 80 random bits = 16 base32 characters.
        long high = ((lastRandom[0] & 0xffL) << 32) | ((lastRandom[1] & 0xffL) << 24) | ((lastRandom[2] & 0xffL) << 16)
                | ((lastRandom[3] & 0xffL) << 8) | (lastRandom[4] & 0xffL);
        long low = ((lastRandom[5] & 0xffL) << 32) | ((lastRandom[6] & 0xffL) << 24) | ((lastRandom[7] & 0xffL) << 16)
                | ((lastRandom[8] & 0xffL) << 8) | (lastRandom[9] & 0xffL);
        for (int shift = 35; shift >= 0; shift -= 5) {
            id.append(ALPHABET[(int) ((high >>> shift) & 31)]);
        }
        for (int shift = 35; shift >= 0; shift -= 5) {
            id.append(ALPHABET[(int) ((low >>> shift) & 31)]);
        }
        return id.toString();
    }

    private static void increment(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (++bytes[i] != 0) {
                return;
            }
        }
    }
}
