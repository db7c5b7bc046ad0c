package dev.latchkey.core.id;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SortableIdGeneratorTest {

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final Instant T0 = Instant.parse("2025-11-25T18:00:00.123Z");

    private static long decodeTime(String id) {
        String body = id.substring(id.indexOf('_') + 1);
        long millis = 0;
        for (char c : body.substring(0, 10).toCharArray()) {
            millis = millis * 32 + CROCKFORD.indexOf(c);
        }
        return millis;
    }

    @ParameterizedTest
    @EnumSource(IdPrefix.class)
    void nextWhenCalledThenPrefixUnderscoreAnd26CrockfordChars(IdPrefix prefix) {
        String id = new SortableIdGenerator(Clock.systemUTC(), new SecureRandom()).next(prefix);

        assertThat(id).matches(prefix.text() + "_[0-9A-HJKMNP-TV-Z]{26}");
    }

    @Test
    void nextWhenClockFixedThenFirstTenCharsEncodeCreationMillis() {
        String id = new SortableIdGenerator(Clock.fixed(T0, ZoneOffset.UTC), new SecureRandom()).next(IdPrefix.USER);

        assertThat(decodeTime(id)).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void nextWhenClockAdvancesThenIdsSortInCreationOrder() {
        MutableClock clock = new MutableClock(T0);
        SortableIdGenerator generator = new SortableIdGenerator(clock, new SecureRandom());
        List<String> created = new ArrayList<>();
        long[] offsets = {0, 1, 2, 31, 32, 1000, 1023, 1024, 86_400_000L, 365L * 86_400_000L};

        for (long offset : offsets) {
            clock.set(T0.plusMillis(offset));
            created.add(generator.next(IdPrefix.ORGANIZATION));
        }

        assertThat(created).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void nextWhenManyInSameMillisecondThenUniqueAndStrictlyIncreasing() {
        SortableIdGenerator generator = new SortableIdGenerator(Clock.fixed(T0, ZoneOffset.UTC), new SecureRandom());
        String previous = generator.next(IdPrefix.SESSION);

        for (int i = 0; i < 5_000; i++) {
            String next = generator.next(IdPrefix.SESSION);
            assertThat(next).isGreaterThan(previous);
            assertThat(decodeTime(next)).isEqualTo(T0.toEpochMilli());
            previous = next;
        }
    }

    @Test
    void nextWhenClockGoesBackwardsThenIdsStillIncrease() {
        MutableClock clock = new MutableClock(T0);
        SortableIdGenerator generator = new SortableIdGenerator(clock, new SecureRandom());
        String first = generator.next(IdPrefix.EVENT);

        clock.set(T0.minusMillis(5_000));
        String second = generator.next(IdPrefix.EVENT);

        assertThat(second).isGreaterThan(first);
    }

    @Test
    void nextWhenTenThousandIdsThenAllUnique() {
        SortableIdGenerator generator = new SortableIdGenerator(Clock.systemUTC(), new SecureRandom());
        Set<String> ids = new HashSet<>();

        for (int i = 0; i < 10_000; i++) {
            ids.add(generator.next(IdPrefix.API_KEY));
        }

        assertThat(ids).hasSize(10_000);
    }

    @Test
    void nextWhenTwoGeneratorsSameMillisecondThenRandomPartsDiffer() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

        String a = new SortableIdGenerator(clock, new SecureRandom()).next(IdPrefix.USER);
        String b = new SortableIdGenerator(clock, new SecureRandom()).next(IdPrefix.USER);

        assertThat(a.substring(0, 14)).isEqualTo(b.substring(0, 14));
        assertThat(a).isNotEqualTo(b);
    }
}
