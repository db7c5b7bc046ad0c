package dev.latchkey.infrastructure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 1: no metric dimension carries a user id, email, key id, client id or IP address. Two hundred
 * sign-ins, token issues and requests by two hundred different users, clients, keys and addresses — with ids and an
 * address planted in every detail and in the route — make a handful of series, each of whose values is in its
 * dimension's closed set.
 */
class MetricCardinalityTest {

    private final Clock clock = Clock.systemUTC();
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());

    @Test
    void manyUsersKeysAndAddressesWhenRecordedThenSeriesStayBoundedAndCarryNoIdentifier() {
        List<Map<Dimension, String>> samples = new ArrayList<>();
        List<Map<Meter, Double>> values = new ArrayList<>();
        Metrics sink = (dimensions, recorded) -> {
            samples.add(dimensions);
            values.add(recorded);
        };
        Metrics metrics = new BoundedMetrics(sink, "login");
        MeteredAuditLog audit = new MeteredAuditLog(new InMemoryAuditLog(clock), metrics);
        RequestMeter requests = new RequestMeter(metrics);
        Set<String> identifiers = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String user = ids.next(IdPrefix.USER);
            String ip = "203.0.113." + (i % 250);
            String email = "user" + i + "@example.com";
            identifiers.add(user);
            identifiers.add(ip);
            identifiers.add(email);
            for (String action : List.of("auth.login.succeeded", "auth.login.failed", "auth.passkey.failed",
                    "mfa.verify_failed", "session.started", "token.client_credentials", "api_key.exchanged")) {
                audit.record(AuditEvent.builder(ids, clock).action(action).actor(Actor.user(user))
                        .target("user", user).sourceIp(ip).requestId("req-" + i)
                        .outcome(action.endsWith("failed") ? Outcome.FAILURE : Outcome.SUCCESS)
                        .details(Map.of("reason", i % 2 == 0 ? "locked" : "reason_" + i, "purpose", "p" + i,
                                "client_id", "cli_" + i))
                        .build());
            }
            requests.answered("login", "GET /v1/users/" + user, HttpResponse.json(200, new byte[0]), i);
            requests.answered("api-keys", "POST /v1/api-keys/verify", HttpResponse.json(200,
                    ("{\"valid\":false,\"code\":\"" + ip + "\"}").getBytes()), 1);
            requests.answered("function-" + i, "POST /v1/auth/login/password", HttpResponse.json(200 + i % 300,
                    new byte[0]), 1);
        }

        Set<Map<Dimension, String>> series = new HashSet<>(samples);
        assertThat(series.size()).as("distinct series").isLessThan(60);
        for (Map<Dimension, String> sample : samples) {
            sample.forEach((dimension, value) -> {
                Set<String> allowed = new HashSet<>(dimension.allowed());
                allowed.add(Dimension.OTHER);
                assertThat(value).as(dimension.name()).isIn(allowed);
                assertThat(identifiers).doesNotContain(value);
                assertThat(value).doesNotContain("@").doesNotContain("usr_").doesNotContain("cli_")
                        .doesNotContain("203.0.113");
            });
        }
        assertThat(values).allSatisfy(recorded -> assertThat(recorded).isNotEmpty());
        assertThat(samples).anySatisfy(sample -> assertThat(sample).containsEntry(Dimension.OUTCOME, "throttled"));
        assertThat(samples).anySatisfy(sample -> assertThat(sample).containsEntry(Dimension.GRANT_TYPE,
                "client_credentials"));
        assertThat(samples).anySatisfy(sample -> assertThat(sample).containsEntry(Dimension.ROUTE,
                Dimension.OTHER));
    }

    @Test
    void auditEventsWhenRecordedThenOutcomeCountersFollowTheActions() {
        List<Map<Dimension, String>> samples = new ArrayList<>();
        List<Map<Meter, Double>> values = new ArrayList<>();
        MeteredAuditLog audit = new MeteredAuditLog(new InMemoryAuditLog(clock), new BoundedMetrics((d, v) -> {
            samples.add(d);
            values.add(v);
        }, "rotate-keys"));
        String user = ids.next(IdPrefix.USER);
        record(audit, "auth.login.succeeded", Outcome.SUCCESS, Map.of(), user);
        record(audit, "auth.login.failed", Outcome.FAILURE, Map.of("reason", "wrong_password"), user);
        record(audit, "auth.login.failed", Outcome.FAILURE, Map.of("reason", "locked"), user);
        record(audit, "auth.login.mfa_required", Outcome.SUCCESS, Map.of(), user);
        record(audit, "mfa.verified", Outcome.SUCCESS, Map.of("purpose", "login", "method", "totp"), user);
        record(audit, "auth.passkey.succeeded", Outcome.SUCCESS, Map.of("method", "passkey"), user);
        record(audit, "passkey.added", Outcome.FAILURE, Map.of("reason", "bad_origin"), user);
        record(audit, "session.refreshed", Outcome.SUCCESS, Map.of(), user);
        record(audit, "token.jwt_bearer", Outcome.SUCCESS, Map.of(), user);
        record(audit, "token.client_credentials", Outcome.FAILURE, Map.of(), user);
        record(audit, "signing_key.rotated", Outcome.SUCCESS, Map.of(), user);
        record(audit, "account.email_verified", Outcome.SUCCESS, Map.of(), user);

        List<String> counted = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Meter meter = values.get(i).keySet().iterator().next();
            Map<Dimension, String> sample = samples.get(i);
            counted.add(meter.emfName() + meter.dimensions().stream().filter(d -> d != Dimension.FUNCTION)
                    .map(d -> ":" + sample.get(d)).reduce("", String::concat));
        }
        assertThat(counted).containsExactly("Logins:password:succeeded", "Logins:password:failed",
                "Logins:password:throttled", "Logins:password:mfa_required", "MfaVerifications:login:succeeded",
                "Logins:passkey:succeeded", "PasskeyCeremonies:authentication:succeeded",
                "PasskeyCeremonies:registration:failed", "TokensIssued:refresh_token", "TokensIssued:jwt_bearer",
                "KeyRotations:changed");
        assertThat(samples.get(samples.size() - 1)).containsEntry(Dimension.FUNCTION, "rotate-keys");
    }

    private void record(MeteredAuditLog audit, String action, Outcome outcome, Map<String, String> details,
            String user) {
        audit.record(AuditEvent.builder(ids, clock).action(action).actor(Actor.user(user)).requestId("req")
                .outcome(outcome).details(details).build());
    }
}
