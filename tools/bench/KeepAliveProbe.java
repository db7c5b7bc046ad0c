import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * What the JDK's keep-alive probe costs (docs/performance.md "The 1 ms keep-alive probe"): 2,000 DynamoDB
 * {@code ListTables} POSTs on one kept-alive {@code HttpURLConnection}, with the body in fixed-length streaming mode
 * (what the SDK's url-connection client asks for) and buffered (what {@code BufferedBodyConnections} makes of it),
 * alternating, twice each. Prints milliseconds per request. Against a local emulator:
 *
 * <pre>
 * tools/dynoxide/node_modules/@dynoxide/linux-x64/dynoxide serve --port 8765 &amp;
 * java -XX:TieredStopAtLevel=1 tools/bench/KeepAliveProbe.java http://127.0.0.1:8765/
 * </pre>
 */
public final class KeepAliveProbe {
    public static void main(String[] args) throws Exception {
        URL url = new URL(args[0]);
        byte[] body = "{}".getBytes();
        for (int round = 0; round < 4; round++) {
            boolean streaming = round % 2 == 0;
            int n = 2000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                HttpURLConnection c = (HttpURLConnection) url.openConnection();
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/x-amz-json-1.0");
                c.setRequestProperty("X-Amz-Target", "DynamoDB_20120810.ListTables");
                c.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/"
                        + "aws4_request, SignedHeaders=host, Signature=00");
                if (streaming) {
                    c.setFixedLengthStreamingMode(body.length);
                }
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
                try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
                    in.readAllBytes();
                }
            }
            System.out.printf("%s: %.3f ms per request%n", streaming ? "fixed-length streaming" : "buffered",
                    (System.nanoTime() - start) / 1e6 / n);
        }
    }
}
