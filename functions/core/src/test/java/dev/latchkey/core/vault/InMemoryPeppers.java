package dev.latchkey.core.vault;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Random in-memory peppers, one per name; counts calls. */
public final class InMemoryPeppers implements Peppers {

    private final Map<String, byte[]> peppers = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger calls = new AtomicInteger();

    /** How many times a pepper was asked for. */
    public int calls() {
        return calls.get();
    }

    @Override
    public byte[] pepper(String name) {
        calls.incrementAndGet();
        return peppers.computeIfAbsent(name, n -> {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            return bytes;
        }).clone();
    }
}
