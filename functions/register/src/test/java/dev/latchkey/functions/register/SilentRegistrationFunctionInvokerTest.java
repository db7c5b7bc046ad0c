package dev.latchkey.functions.register;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.SignUpAttemptNotice;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.infrastructure.mail.FileOutboxMailer;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 11 §7 through the real Lambda entry point with {@code LATCHKEY_REGISTRATION_DISCLOSURE=silent}: a new and a
 * taken address get the same 202, the taken one creates nothing and mails its owner, and the two take the same time.
 */
class SilentRegistrationFunctionInvokerTest {

    private static final String PASSWORD = "Marmalade-Comet-Lantern-93";
    private static final String VARIABLE = "LATCHKEY_REGISTRATION_DISCLOSURE";
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @TempDir
    static Path dataDir;

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static FileOutboxMailer outbox;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
        Map<String, String> variables = new HashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", dataDir.toString());
        variables.put("LATCHKEY_ISSUER", "https://id.example.com");
        variables.put(VARIABLE, "silent");
        lambda = LambdaHarness.start(RegisterApplication.class.getName(), RegisterApplication.FUNCTION, variables);
        outbox = new FileOutboxMailer(dataDir.resolve("outbox"), Clock.systemUTC(), new SecureRandom());
    }

    @AfterAll
    static void stop() {
        System.clearProperty(VARIABLE); // the next function test in this JVM gets the default again
        table.close();
    }

    /** The register event with this body, from its own source IP (the per-IP limit is not under test here). */
    private static LambdaHarness.Response register(String email, String name) {
        try {
            Path file = Events.of("register").stream()
                    .filter(p -> p.getFileName().toString().equals("register-created.json")).findFirst().orElseThrow();
            ObjectNode event = (ObjectNode) Json.mapper().readTree(Files.readString(file));
            String json = new String(Json.write(Map.of("email", email, "password", PASSWORD, "name", name)),
                    StandardCharsets.UTF_8);
            event.put("body", json);
            ((ObjectNode) event.path("headers")).put("content-length", Integer.toString(
                    json.getBytes(StandardCharsets.UTF_8).length));
            int n = ADDRESSES.incrementAndGet();
            ((ObjectNode) event.path("requestContext").path("http")).put("sourceIp",
                    "198.18." + (n / 250) + "." + (n % 250 + 1));
            return lambda.invoke(event.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String freshAddress() {
        return "person" + ADDRESSES.incrementAndGet() + "@example.com";
    }

    private static long users() {
        return table.client().scanPaginator(s -> s.tableName(EmulatedTable.TABLE)).items().stream()
                .filter(item -> AttributeValue.fromS("PROFILE").equals(item.get("sk"))).count();
    }

    private static JsonNode withoutRequestId(JsonNode headers) {
        ObjectNode copy = ((ObjectNode) headers).deepCopy();
        copy.remove("apigw-requestid");
        copy.remove("x-request-id");
        return copy;
    }

    @Test
    @DisplayName("[6.3.8] issue 11 §7: silent sign-up: a new and a taken address get the same 202; the taken one "
            + "creates nothing and its owner gets a notice without a token")
    void registerWhenSilentThenNewAndTakenAddressAnswerTheSame202() {
        String address = freshAddress();
        var created = register(address, "Ada Lovelace");
        long usersAfterFirst = users();
        var taken = register(address, "Mallory");

        assertThat(created.status()).isEqualTo(202);
        assertThat(taken.status()).isEqualTo(202);
        assertThat(taken.body()).isEqualTo(created.body());
        assertThat(withoutRequestId(taken.json().path("headers"))).isEqualTo(
                withoutRequestId(created.json().path("headers")));
        assertThat(created.bodyJson()).isEqualTo(Json.mapper().valueToTree(RegisterEndpoints.REGISTER_ACCEPTED));
        assertThat(created.body()).doesNotContain(address, "usr_", "org_");
        assertThat(users()).isEqualTo(usersAfterFirst);
        assertThat(outbox.latest(MailMessage.EMAIL_VERIFICATION, address)).as("the new account's mail").isPresent();
        var notice = outbox.latest(SignUpAttemptNotice.PURPOSE, address).orElseThrow();
        assertThat(notice.text()).doesNotContain("lkv_", "Mallory").contains("/v1/auth/password/forgot");
        assertThat(outbox.list().stream().filter(m -> m.message().to().equals(address)
                && m.message().purpose().equals(MailMessage.EMAIL_VERIFICATION)).count())
                .as("no verification mail for the attempt").isEqualTo(1);
    }

    @Test
    @DisplayName("issue 11 §7: an address gets at most 3 sign-up mails a day (its own verification mail included), "
            + "however often it is tried")
    void registerWhenSilentAndTakenAddressTriedOftenThenThreeNotices() {
        String address = freshAddress();
        register(address, "Ada Lovelace");
        for (int i = 0; i < 6; i++) {
            assertThat(register(address, "Mallory").status()).isEqualTo(202);
        }

        assertThat(outbox.list().stream().filter(m -> m.message().to().equals(address)
                && m.message().purpose().equals(SignUpAttemptNotice.PURPOSE)).count()).isEqualTo(2);
    }

    /**
     * Issue 11 §7: the taken and the new branch take the same time. Interleaved samples (after a warm-up) so drift
     * hits both alike; medians, printed for docs/security.md. The bound asserted here is looser than the documented
     * 10 % only so that a busy shared machine does not fail the build; the measured numbers are the claim.
     */
    @Test
    @DisplayName("[6.3.8] issue 11 §7: silent sign-up of a new and a taken address take the same time (medians, n=60)")
    void registerWhenSilentThenNewAndTakenAddressTakeTheSameTime() {
        List<String> warm = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String address = freshAddress();
            register(address, "Warm Up");
            register(address, "Warm Up");
            warm.add(address);
        }
        int samples = 60;
        List<Long> fresh = new ArrayList<>();
        List<Long> taken = new ArrayList<>();
        String previous = warm.get(0);
        for (int i = 0; i < samples; i++) {
            String address = freshAddress();
            long start = System.nanoTime();
            assertThat(register(address, "New Person").status()).isEqualTo(202);
            fresh.add(System.nanoTime() - start);
            start = System.nanoTime();
            assertThat(register(previous, "Someone Else").status()).isEqualTo(202);
            taken.add(System.nanoTime() - start);
            previous = address;
        }
        List<Long> paired = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            paired.add(taken.get(i) - fresh.get(i));
        }
        double newMedian = median(fresh) / 1e6;
        double takenMedian = median(taken) / 1e6;
        double pairedMedian = median(paired) / 1e6;
        double difference = Math.abs(takenMedian - newMedian) / newMedian;
        System.out.printf("silent sign-up, n=%d each: new address median %.1f ms, taken address median %.1f ms, "
                + "difference of medians %.1f %%, median of paired differences (taken - new) %.1f ms (%.1f %%)%n",
                samples, newMedian, takenMedian, difference * 100, pairedMedian, 100 * pairedMedian / newMedian);
        assertThat(Math.abs(pairedMedian) / newMedian).as("new %.1f ms vs taken %.1f ms", newMedian, takenMedian)
                .isLessThan(0.25);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
    }
}
