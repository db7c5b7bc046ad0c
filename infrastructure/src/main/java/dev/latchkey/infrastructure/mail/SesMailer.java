package dev.latchkey.infrastructure.mail;

import dev.latchkey.core.mail.MailException;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mail through Amazon SES (API v2 {@code SendEmail}, simple content, UTF-8 text body) from one
 * verified sender address ({@code LATCHKEY_MAIL_FROM}). The message's purpose goes along as an
 * SES message tag, so sending statistics split by purpose; neither the address nor the body is
 * ever logged (the body carries a single-use token).
 *
 * <p>One HTTPS request, built here, signed by the AWS SDK's own SigV4 signer ({@link AwsV4HttpSigner}, service
 * {@code ses}) and sent on the SDK's HTTP client that the DynamoDB and KMS clients share: the SES v2 client would bring
 * the {@code sesv2} jar (0.9 MB even cut to {@code SendEmail}) for one operation. Throttling (429), server errors (5xx)
 * and I/O failures are retried {@value #ATTEMPTS} times in all, with a growing pause, as the SDK's standard retries do.
 */
public final class SesMailer implements Mailer {

    /** The SendEmail operation of SES API v2. */
    static final String PATH = "/v2/email/outbound-emails";

    private static final Logger LOG = LoggerFactory.getLogger(SesMailer.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ATTEMPTS = 3;
    private static final long FIRST_PAUSE_MILLIS = 100;

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final URI endpoint;
    private final String from;

    /**
     * @param http the HTTP client (shared per container)
     * @param credentials how to sign
     * @param region the SES region
     * @param endpoint the SES API endpoint ({@code https://email.<region>.amazonaws.com}, or an override)
     * @param from the verified sender address
     */
    public SesMailer(SdkHttpClient http, AwsCredentialsProvider credentials, String region, URI endpoint, String from) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.from = from;
    }

    /** Where {@code SendEmail} goes. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void send(MailMessage message) {
        byte[] body = body(message);
        RuntimeException failure = null;
        String reason = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                pause(FIRST_PAUSE_MILLIS << (attempt - 2));
            }
            try {
                int status = post(body);
                if (status / 100 == 2) {
                    return;
                }
                reason = "HTTP " + status;
                failure = null;
                if (status != 429 && status / 100 != 5) {
                    break;
                }
            } catch (IOException e) {
                reason = e.getClass().getSimpleName();
                failure = new UncheckedIOException(e);
            } catch (SdkException e) {
                reason = e.getClass().getSimpleName();
                failure = e;
            }
        }
        LOG.warn("SES SendEmail failed: {}", reason);
        throw MailException.unavailable(failure);
    }

    private byte[] body(MailMessage message) {
        ObjectNode request = JSON.createObjectNode();
        request.put("FromEmailAddress", from);
        request.putObject("Destination").putArray("ToAddresses").add(message.to());
        ObjectNode simple = request.putObject("Content").putObject("Simple");
        simple.putObject("Subject").put("Data", message.subject()).put("Charset", "UTF-8");
        simple.putObject("Body").putObject("Text").put("Data", message.text()).put("Charset", "UTF-8");
        request.putArray("EmailTags").addObject().put("Name", "purpose")
                .put("Value", message.purpose().replaceAll("[^A-Za-z0-9_-]", "_"));
        return JSON.writeValueAsBytes(request);
    }

    private int post(byte[] body) throws IOException {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve(PATH))
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(s -> s
                .identity(credentials.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ses")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(ContentStreamProvider.fromByteArray(body)))
                .build()).call();
        Optional<? extends InputStream> answer = response.responseBody();
        if (answer.isPresent()) {
            try (InputStream in = answer.get()) {
                in.readAllBytes();
            }
        }
        return response.httpResponse().statusCode();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
