package dev.latchkey.infrastructure.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.urlconnection.UrlConnectionFactory;

/**
 * The connections of the SDK's url-connection client (the {@link UrlConnectionFactory} extension point), with each
 * request's body buffered rather than streamed.
 *
 * <p>Why. The SDK's {@code UrlConnectionHttpClient} puts every request with a {@code Content-Length} into
 * fixed-length streaming mode. Before the JDK's {@code HttpURLConnection} reuses a kept-alive connection for a
 * streamed {@code POST} — every DynamoDB, KMS and SES call — it checks that the server has not closed it
 * ({@code sun.net.www.http.HttpClient.New} calls {@code available()}): it sets a 1 ms read timeout and reads. On a
 * healthy connection that read waits the millisecond out and throws a {@code SocketTimeoutException}, stack trace
 * and all. Measured: 1.5 ms per request streamed against 0.2 ms buffered, to the same emulator on loopback
 * (docs/performance.md "The 1 ms keep-alive probe"), on every request of every function.
 *
 * <p>A buffered body needs no probe: the JDK writes the request with its length, and when a reused connection
 * turns out closed (a Lambda container thawed after the server dropped its idle connection) it sends the request
 * once more on a new connection ({@code sun.net.http.retryPost}, on by default) — the case the probe was for.
 * That resend, like the SDK's own retries of an I/O error, can repeat a request the server received before the
 * connection broke; DynamoDB writes here are conditional or counters that tolerate it as they tolerate the SDK's
 * retries. Bodies are at most a 400 KB item, so the buffer is one copy of what the SDK already holds.
 *
 * <p>What the SDK's client calls on a connection (request method, headers, timeouts, streams, response code,
 * message and headers, connect, disconnect) and the matching getters go to the JDK's connection unchanged; chunked
 * streaming (the SDK asks for it only for bodies of unknown length) stays streaming. Other {@code URLConnection}
 * settings are not delegated: nothing here uses them.
 */
final class BufferedBodyConnections implements UrlConnectionFactory {

    private final Duration connectTimeout;
    private final Duration readTimeout;

    /**
     * @param connectTimeout how long a new connection may take
     * @param readTimeout how long a read of the response may block
     */
    BufferedBodyConnections(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
    }

    @Override
    public HttpURLConnection createConnection(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
            connection.setReadTimeout(Math.toIntExact(readTimeout.toMillis()));
            return new BufferedBodyConnection(connection);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a connection to " + uri.getHost(), e);
        }
    }

    /** A JDK connection whose fixed-length streaming requests are ignored: its body is buffered. */
    static final class BufferedBodyConnection extends HttpURLConnection {

        private final HttpURLConnection connection;

        BufferedBodyConnection(HttpURLConnection connection) {
            super(connection.getURL());
            this.connection = connection;
        }

        /** Ignored: the body is buffered and its length sent by the JDK. */
        @Override
        public void setFixedLengthStreamingMode(int contentLength) {
            // buffered, see the class comment
        }

        /** Ignored: the body is buffered and its length sent by the JDK. */
        @Override
        public void setFixedLengthStreamingMode(long contentLength) {
            // buffered, see the class comment
        }

        @Override
        public void setChunkedStreamingMode(int chunkLength) {
            connection.setChunkedStreamingMode(chunkLength);
        }

        @Override
        public void connect() throws IOException {
            connection.connect();
        }

        @Override
        public void disconnect() {
            connection.disconnect();
        }

        @Override
        public boolean usingProxy() {
            return connection.usingProxy();
        }

        @Override
        public void setRequestMethod(String method) throws ProtocolException {
            connection.setRequestMethod(method);
        }

        @Override
        public String getRequestMethod() {
            return connection.getRequestMethod();
        }

        @Override
        public void setRequestProperty(String key, String value) {
            connection.setRequestProperty(key, value);
        }

        @Override
        public void addRequestProperty(String key, String value) {
            connection.addRequestProperty(key, value);
        }

        @Override
        public String getRequestProperty(String key) {
            return connection.getRequestProperty(key);
        }

        @Override
        public Map<String, List<String>> getRequestProperties() {
            return connection.getRequestProperties();
        }

        @Override
        public void setDoOutput(boolean doOutput) {
            connection.setDoOutput(doOutput);
        }

        @Override
        public boolean getDoOutput() {
            return connection.getDoOutput();
        }

        @Override
        public void setDoInput(boolean doInput) {
            connection.setDoInput(doInput);
        }

        @Override
        public boolean getDoInput() {
            return connection.getDoInput();
        }

        @Override
        public void setUseCaches(boolean useCaches) {
            connection.setUseCaches(useCaches);
        }

        @Override
        public boolean getUseCaches() {
            return connection.getUseCaches();
        }

        @Override
        public void setInstanceFollowRedirects(boolean followRedirects) {
            connection.setInstanceFollowRedirects(followRedirects);
        }

        @Override
        public boolean getInstanceFollowRedirects() {
            return connection.getInstanceFollowRedirects();
        }

        @Override
        public void setConnectTimeout(int timeout) {
            connection.setConnectTimeout(timeout);
        }

        @Override
        public int getConnectTimeout() {
            return connection.getConnectTimeout();
        }

        @Override
        public void setReadTimeout(int timeout) {
            connection.setReadTimeout(timeout);
        }

        @Override
        public int getReadTimeout() {
            return connection.getReadTimeout();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return connection.getOutputStream();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return connection.getInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return connection.getErrorStream();
        }

        @Override
        public int getResponseCode() throws IOException {
            return connection.getResponseCode();
        }

        @Override
        public String getResponseMessage() throws IOException {
            return connection.getResponseMessage();
        }

        @Override
        public String getHeaderField(String name) {
            return connection.getHeaderField(name);
        }

        @Override
        public String getHeaderField(int n) {
            return connection.getHeaderField(n);
        }

        @Override
        public String getHeaderFieldKey(int n) {
            return connection.getHeaderFieldKey(n);
        }

        @Override
        public Map<String, List<String>> getHeaderFields() {
            return connection.getHeaderFields();
        }

        @Override
        public long getContentLengthLong() {
            return connection.getContentLengthLong();
        }

        @Override
        public String getContentType() {
            return connection.getContentType();
        }

        @Override
        public String toString() {
            return connection.toString();
        }
    }
}
