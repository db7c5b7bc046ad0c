import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw ES256 signing rate of this JVM (the ceiling of token issue): {@code threads} threads sign a
 * token-sized input with SHA256withECDSA for {@code seconds} after a warm-up of the same length. Run as a
 * single-file program: {@code java tools/bench/Es256Rate.java [threads=2] [seconds=5]}. Prints one JSON line.
 */
public final class Es256Rate {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        PrivateKey key = generator.generateKeyPair().getPrivate();
        byte[] input = new byte[400];
        run(key, input, threads, seconds);
        long signs = run(key, input, threads, seconds);
        System.out.printf("{\"threads\":%d,\"seconds\":%d,\"signs_per_second\":%.0f,\"java\":\"%s\"}%n", threads,
                seconds, signs / (double) seconds, System.getProperty("java.version"));
    }

    private static long run(PrivateKey key, byte[] input, int threads, int seconds) throws Exception {
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> {
                try {
                    Signature signature = Signature.getInstance("SHA256withECDSA");
                    while (System.nanoTime() < end) {
                        signature.initSign(key);
                        signature.update(input);
                        signature.sign();
                        count.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[i].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return count.get();
    }
}
