package dev.latchkey.infrastructure.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.infrastructure.aws.AwsClientFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import tools.jackson.databind.JsonNode;

/**
 * The SES mailer (SigV4 signing by the SDK's signer, the SendEmail JSON, retries) against a stand-in for the SES API on
 * loopback: what goes over the wire, and how failures surface.
 */
class SesMailerTest {

    private record Captured(String path, String authorization, JsonNode body) {
    }

    private HttpServer ses;
    private final List<Captured> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        ses = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ses.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Captured(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("authorization"),
                    Json.mapper().readTree(new String(body, StandardCharsets.UTF_8))));
            byte[] answer = (status == 200 ? "{\"MessageId\":\"m-1\"}" : "{\"message\":\"boom\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        ses.start();
    }

    @AfterEach
    void stop() {
        ses.stop(0);
    }

    private SesMailer mailer() {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of(
                "LATCHKEY_AWS_REGION", "eu-west-1",
                "LATCHKEY_SES_ENDPOINT", "http://127.0.0.1:" + ses.getAddress().getPort(),
                "LATCHKEY_MAIL_FROM", "no-reply@example.com"), "test");
        var aws = new AwsClientFactory(config, StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));
        return aws.sesMailer(config.mailFrom().orElseThrow());
    }

    @Test
    void sendPostsASignedSendEmailWithSenderRecipientSubjectBodyAndPurposeTag() {
        mailer().send(new MailMessage("ada@example.com", "Verify your email address", "token lkv_abc",
                MailMessage.EMAIL_VERIFICATION));

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/v2/email/outbound-emails");
            assertThat(request.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=a/")
                    .contains("/eu-west-1/ses/aws4_request");
            JsonNode body = request.body();
            assertThat(body.path("FromEmailAddress").asString()).isEqualTo("no-reply@example.com");
            assertThat(body.path("Destination").path("ToAddresses").get(0).asString()).isEqualTo("ada@example.com");
            JsonNode simple = body.path("Content").path("Simple");
            assertThat(simple.path("Subject").path("Data").asString()).isEqualTo("Verify your email address");
            assertThat(simple.path("Body").path("Text").path("Data").asString()).isEqualTo("token lkv_abc");
            assertThat(simple.path("Body").path("Text").path("Charset").asString()).isEqualTo("UTF-8");
            assertThat(body.path("EmailTags").get(0).path("Value").asString()).isEqualTo("email-verification");
        });
    }

    @Test
    void sendWhenSesFailsThenServiceUnavailableAfterRetries() {
        status = 500;
        MailException e = catchThrowableOfType(MailException.class, () -> mailer().send(new MailMessage(
                "ada@example.com", "Reset", "token lkp_abc", MailMessage.PASSWORD_RESET)));
        assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(e.getMessage()).doesNotContain("ada@example.com", "lkp_abc");
        assertThat(requests).as("retried, as the SDK's standard retries do").hasSize(3);
    }

    @Test
    void sendWhenSesRejectsTheMessageThenServiceUnavailableWithoutRetry() {
        status = 400;
        MailException e = catchThrowableOfType(MailException.class, () -> mailer().send(new MailMessage(
                "ada@example.com", "Reset", "token lkp_abc", MailMessage.PASSWORD_RESET)));
        assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(requests).as("a client error is not retried").hasSize(1);
    }

    @Test
    void sesMailerWhenNoEndpointOverrideThenRegionsSesApiEndpoint() {
        LatchkeyConfig config = LatchkeyConfig.fromEnvironment(Map.of("LATCHKEY_AWS_REGION", "eu-west-1"), "test");
        var aws = new AwsClientFactory(config, StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));

        assertThat(aws.sesMailer("no-reply@example.com").endpoint())
                .isEqualTo(java.net.URI.create("https://email.eu-west-1.amazonaws.com"));
    }
}
