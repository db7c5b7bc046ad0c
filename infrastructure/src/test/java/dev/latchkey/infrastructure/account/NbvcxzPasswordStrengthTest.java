package dev.latchkey.infrastructure.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.latchkey.core.account.PasswordStrength.Weakness;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NbvcxzPasswordStrengthTest {

    /** Built once: loading the dictionaries is the expensive part. */
    private static final NbvcxzPasswordStrength STRENGTH = new NbvcxzPasswordStrength();

    @Test
    void constructorWhenDefaultThenFortyBits() {
        assertThat(STRENGTH.minimumEntropyBits()).isEqualTo(40.0);
        assertThat(new NbvcxzPasswordStrength(50).minimumEntropyBits()).isEqualTo(50.0);
        assertThatIllegalArgumentException().isThrownBy(() -> new NbvcxzPasswordStrength(19.9));
        assertThatIllegalArgumentException().isThrownBy(() -> new NbvcxzPasswordStrength(Double.NaN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"password1234", "qwertyuiop123", "Password123!", "correct horse battery staple",
        "aaaaaaaaaaaa", "abcdefghijkl", "ilovemycat2024", "12345678901234567890123456789012345678901234567890"})
    @DisplayName("[6.2.4] Common passwords and patterns are weak, with a hint that does not echo them")
    void assessWhenCommonOrPatternThenWeakWithHint(String password) {
        Optional<Weakness> weakness = STRENGTH.assess(password, List.of());

        assertThat(weakness).isPresent();
        assertThat(weakness.get().hint()).isNotBlank().doesNotContain(password);
    }

    @Test
    @DisplayName("[6.2.4] A top common password gets nbvcxz's warning as the hint")
    void assessWhenTopPasswordThenWarningHint() {
        assertThat(STRENGTH.assess("password1234", List.of()))
                .contains(new Weakness("This is a top-10 common password."));
        assertThat(STRENGTH.assess("qwertyuiop123", List.of()))
                .contains(new Weakness("This is a top-100 common password."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vQ7#mLp2!xRz", "Wn4-kd8r-Pz2q", "gloomy otter banjo", "kx9Vb2mQ7wLp",
        "\u00C5ngstr\u00F6m\u00C6ther1!"})
    @DisplayName("[6.2.5] Random mixes and uncommon passphrases pass without composition rules")
    void assessWhenStrongThenAccepted(String password) {
        assertThat(STRENGTH.assess(password, List.of())).isEmpty();
    }

    @Test
    @DisplayName("[6.2.4] Context words (name, email) make AdaLovelace1815! weak for Ada Lovelace")
    void assessWhenPasswordIsBuiltFromContextWordsThenWeak() {
        assertThat(STRENGTH.assess("AdaLovelace1815!", List.of())).as("strong for a stranger").isEmpty();

        Optional<Weakness> weakness = STRENGTH.assess("AdaLovelace1815!", List.of("ada", "lovelace", "example"));

        assertThat(weakness).contains(new Weakness(NbvcxzPasswordStrength.CONTEXT_HINT));
        assertThat(STRENGTH.assess("AdaLovelace1815!", List.of("ADA", " ", "Lovelace")))
                .as("context words are lower-cased, blanks ignored").isPresent();
    }

    @Test
    void assessWhenContextGivenThenSharedDictionariesNotChanged() {
        STRENGTH.assess("AdaLovelace1815!", List.of("ada", "lovelace"));

        assertThat(STRENGTH.assess("AdaLovelace1815!", List.of())).isEmpty();
        assertThat(new NbvcxzPasswordStrength().assess("AdaLovelace1815!", List.of())).isEmpty();
    }

    @Test
    @Timeout(30)
    @DisplayName("Bounded cost: pathological 1024-character inputs are estimated quickly")
    void assessWhenPathologicalLongInputThenBoundedTime() {
        for (String input : List.of("a".repeat(1024), "password".repeat(128), "ab".repeat(512),
                "\uD83D\uDE00".repeat(1024))) {
            long start = System.nanoTime();
            STRENGTH.assess(input, List.of("ada", "lovelace"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("nbvcxz estimate of %d chars: %d ms%n", input.length(), millis);
        }
    }

    @Test
    void assessWhenCalledFromManyThreadsThenSameAnswers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = IntStream.range(0, 40)
                    .mapToObj(i -> pool.submit(() -> i % 2 == 0
                            ? STRENGTH.assess("password1234", List.of()).isPresent()
                            : STRENGTH.assess("AdaLovelace1815!", List.of("ada", "lovelace")).isPresent()))
                    .toList();
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
