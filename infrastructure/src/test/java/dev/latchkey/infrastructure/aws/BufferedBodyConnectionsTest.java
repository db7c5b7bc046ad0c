package dev.latchkey.infrastructure.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The SDK's url-connection client on {@link BufferedBodyConnections}, against a plain HTTP/1.1 server on loopback
 * that records what arrives on which connection: the body still arrives whole with its length, kept-alive
 * connections are reused, and a kept-alive connection the server closed is replaced without an error.
 */
class BufferedBodyConnectionsTest {

    private static final byte[] BODY = "{\"TableName\":\"latchkey\"}".getBytes(StandardCharsets.UTF_8);

    private final SdkHttpClient client = UrlConnectionHttpClient.create(
            new BufferedBodyConnections(Duration.ofSeconds(2), Duration.ofSeconds(5)));
    private RecordingServer server;

    @AfterEach
    void stop() throws IOException {
        client.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void postWhenSdkStreamsFixedLengthThenBodyArrivesWholeWithItsLength() throws IOException {
        server = new RecordingServer(false);

        assertThat(post()).isEqualTo("answer 1");

        Received received = server.received.get(0);
        assertThat(received.headers()).containsEntry("content-length", String.valueOf(BODY.length))
                .doesNotContainKey("transfer-encoding");
        assertThat(received.body()).isEqualTo(BODY);
        assertThat(received.requestLine()).isEqualTo("POST / HTTP/1.1");
    }

    @Test
    void postsWhenKeptAliveThenOneConnection() throws IOException {
        server = new RecordingServer(false);

        assertThat(post()).isEqualTo("answer 1");
        assertThat(post()).isEqualTo("answer 2");
        assertThat(post()).isEqualTo("answer 3");

        assertThat(server.received).extracting(Received::connection).containsExactly(1, 1, 1);
    }

    @Test
    void postWhenServerClosedKeptAliveConnectionThenSentOnceOnNewConnection() throws Exception {
        // The server answers with keep-alive and then drops the connection, as a server does with an idle one
        // while a Lambda container is frozen: the next request must not fail, and must arrive once.
        server = new RecordingServer(true);

        assertThat(post()).isEqualTo("answer 1");
        server.awaitClosed(1);
        assertThat(post()).isEqualTo("answer 2");

        assertThat(server.received).extracting(Received::connection).containsExactly(1, 2);
        assertThat(server.received.get(1).body()).isEqualTo(BODY);
    }

    @Test
    void createConnectionThenConfiguredTimeoutsAndNoFixedLengthStreaming() throws IOException {
        server = new RecordingServer(false);
        HttpURLConnection connection = new BufferedBodyConnections(Duration.ofMillis(1500), Duration.ofMillis(4000))
                .createConnection(server.uri());

        connection.setFixedLengthStreamingMode(3L);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
            // more than the 3 bytes announced: a streaming connection refuses the fourth byte
            out.write(BODY);
        }

        assertThat(connection.getConnectTimeout()).isEqualTo(1500);
        assertThat(connection.getReadTimeout()).isEqualTo(4000);
        assertThat(connection.getResponseCode()).isEqualTo(200);
        connection.getInputStream().readAllBytes();
        assertThat(server.received.get(0).body()).isEqualTo(BODY);
    }

    private String post() throws IOException {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(server.uri())
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("Content-Length", String.valueOf(BODY.length)).build();
        HttpExecuteResponse response = client.prepareRequest(HttpExecuteRequest.builder().request(request)
                .contentStreamProvider(() -> new ByteArrayInputStream(BODY)).build()).call();
        assertThat(response.httpResponse().statusCode()).isEqualTo(200);
        try (InputStream body = response.responseBody().orElseThrow()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One request as the server read it, and the number of the connection it came on (from 1). */
    record Received(int connection, String requestLine, Map<String, String> headers, byte[] body) {
    }

    /**
     * An HTTP/1.1 server on loopback that answers every request with {@code 200} and {@code answer <n>}, keeping the
     * connection open, or closing it after its first answer without saying so ({@code dropAfterAnswer}).
     */
    private static final class RecordingServer implements AutoCloseable {

        final List<Received> received = new CopyOnWriteArrayList<>();
        private final ServerSocket socket;
        private final boolean dropAfterAnswer;
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger closed = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        RecordingServer(boolean dropAfterAnswer) throws IOException {
            this.dropAfterAnswer = dropAfterAnswer;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "recording-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        }

        void awaitClosed(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (closed.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(closed.get()).as("connections the server closed").isGreaterThanOrEqualTo(count);
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    open.add(connection);
                    int number = connections.incrementAndGet();
                    Thread worker = new Thread(() -> serve(connection, number), "recording-connection-" + number);
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException closedServer) {
                    return;
                }
            }
        }

        private void serve(Socket connection, int number) {
            try (connection) {
                InputStream in = new BufferedInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    for (String header = readLine(in); header != null && !header.isEmpty(); header = readLine(in)) {
                        int colon = header.indexOf(':');
                        headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                header.substring(colon + 1).trim());
                    }
                    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                    received.add(new Received(number, line, headers, body));
                    byte[] answer = ("answer " + received.size()).getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + answer.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(answer);
                    out.flush();
                    if (dropAfterAnswer) {
                        break;
                    }
                }
            } catch (IOException ignored) {
                // the client went away
            } finally {
                closed.incrementAndGet();
            }
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1; b = in.read()) {
                if (b == '\n') {
                    return line.toString(StandardCharsets.US_ASCII).stripTrailing();
                }
                line.write(b);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : new ArrayList<>(open)) {
                connection.close();
            }
        }
    }
}
