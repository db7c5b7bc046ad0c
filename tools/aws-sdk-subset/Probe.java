import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Loads what the generated DynamoDB and KMS clients load beyond the operations' own classes (the verifier loads every
 * operation's request class when it links a client): builds each client with and without an endpoint override and
 * calls each operation against a closed port. Run on the FULL jars, then feed the model classes to closure.py:
 *
 * <pre>java -Xlog:class+load=info:file=cl.txt -cp 'unzipped-zip-before-the-subset/lib/*' Probe.java
 * grep -o 'services\.kms\.model\.[A-Za-z0-9_$]*' cl.txt | sed 's/.*\.model\.//' | sort -u > kms-loaded.txt</pre>
 *
 * Add a health run with table creation (InvokeOnce --create-table, then an event) for the waiter's classes.
 */
public class Probe {
    static void attempt(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            System.out.println(e.getClass().getSimpleName());
        }
    }

    public static void main(String[] args) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
        var http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofMillis(200)).build();
        var once = ClientOverrideConfiguration.builder().retryStrategy(b -> b.maxAttempts(1)).build();
        URI closed = URI.create("http://127.0.0.1:9");
        for (URI endpoint : new URI[] {closed, null}) {
            var kmsBuilder = KmsClient.builder().region(Region.EU_WEST_1).credentialsProvider(credentials)
                    .httpClient(http).overrideConfiguration(once);
            var dynamoBuilder = DynamoDbClient.builder().region(Region.EU_WEST_1).credentialsProvider(credentials)
                    .httpClient(http).overrideConfiguration(once);
            if (endpoint == null) {
                kmsBuilder.build();
                dynamoBuilder.build();
                continue;
            }
            KmsClient kms = kmsBuilder.endpointOverride(endpoint).build();
            DynamoDbClient dynamo = dynamoBuilder.endpointOverride(endpoint).build();
            attempt(() -> kms.describeKey(b -> b.keyId("k")));
            attempt(() -> kms.decrypt(b -> b.keyId("k").ciphertextBlob(SdkBytes.fromUtf8String("x"))));
            attempt(() -> kms.generateDataKey(b -> b.keyId("k").keySpec("AES_256")));
            attempt(() -> kms.encrypt(b -> b.keyId("k").plaintext(SdkBytes.fromUtf8String("x"))));
            attempt(() -> dynamo.getItem(b -> b.tableName("t")));
        }
    }
}
