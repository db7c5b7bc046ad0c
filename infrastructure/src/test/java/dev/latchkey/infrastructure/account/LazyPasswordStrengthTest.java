package dev.latchkey.infrastructure.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.latchkey.core.account.PasswordStrength;
import dev.latchkey.core.account.PasswordStrength.Weakness;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LazyPasswordStrengthTest {

    /** An in-memory estimator: weak exactly when the password is one of the context words. */
    private static final PasswordStrength CONTEXT_ONLY = (password, contextWords) -> contextWords.contains(password)
            ? Optional.of(new Weakness("Avoid your name.")) : Optional.empty();

    @Test
    void assessWhenFirstCalledThenBuildsOnceAndDelegates() {
        AtomicInteger builds = new AtomicInteger();
        LazyPasswordStrength lazy = new LazyPasswordStrength(() -> {
            builds.incrementAndGet();
            return CONTEXT_ONLY;
        });
        assertThat(lazy.isBuilt()).as("nothing is built by the constructor").isFalse();
        assertThat(builds).hasValue(0);

        assertThat(lazy.assess("ada", List.of("ada"))).contains(new Weakness("Avoid your name."));
        assertThat(lazy.assess("gloomy otter banjo", List.of("ada"))).isEmpty();
        assertThat(lazy.prepare()).isSameAs(CONTEXT_ONLY);

        assertThat(lazy.isBuilt()).isTrue();
        assertThat(builds).hasValue(1);
    }

    @Test
    void prepareWhenCalledBeforeAnyUseThenTheFirstAssessBuildsNothing() {
        AtomicInteger builds = new AtomicInteger();
        LazyPasswordStrength lazy = new LazyPasswordStrength(() -> {
            builds.incrementAndGet();
            return CONTEXT_ONLY;
        });

        lazy.prepare();
        assertThat(builds).hasValue(1);
        lazy.assess("ada", List.of());

        assertThat(builds).hasValue(1);
    }

    @Test
    @Timeout(10)
    void prepareWhenSixteenThreadsAskAtOnceThenOneBuildAndAllGetIt() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LazyPasswordStrength lazy = new LazyPasswordStrength(() -> {
            builds.incrementAndGet();
            building.countDown();
            try {
                release.await(); // hold the first build until every thread is waiting for it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CONTEXT_ONLY;
        });
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<PasswordStrength>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(lazy::prepare));
            }
            assertThat(building.await(5, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            for (Future<PasswordStrength> result : results) {
                assertThat(result.get()).isSameAs(CONTEXT_ONLY);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(builds).hasValue(1);
    }

    @Test
    void prepareWhenTheBuildThrowsThenTheNextCallBuildsAgain() {
        AtomicInteger builds = new AtomicInteger();
        LazyPasswordStrength lazy = new LazyPasswordStrength(() -> {
            if (builds.incrementAndGet() == 1) {
                throw new IllegalStateException("dictionaries unreadable");
            }
            return CONTEXT_ONLY;
        });

        assertThatIllegalStateException().isThrownBy(() -> lazy.assess("ada", List.of()));
        assertThat(lazy.isBuilt()).isFalse();

        assertThat(lazy.assess("ada", List.of("ada"))).isPresent();
        assertThat(builds).hasValue(2);
    }

    @Test
    void assessWhenNbvcxzBehindItThenTheSameAnswersAsNbvcxzDirectly() {
        LazyPasswordStrength lazy = new LazyPasswordStrength(NbvcxzPasswordStrength::new);

        assertThat(lazy.assess("password1234", List.of())).isPresent();
        assertThat(lazy.assess("AdaLovelace1815!", List.of("ada", "lovelace")))
                .contains(new Weakness(NbvcxzPasswordStrength.CONTEXT_HINT));
        assertThat(lazy.assess("gloomy otter banjo", List.of())).isEmpty();
    }
}
