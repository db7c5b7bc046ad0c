package dev.latchkey.core.authorize;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The in-memory {@link AuthorizationCodes} of the unit tests: same single-use semantics as the table. */
public final class InMemoryAuthorizationCodes implements AuthorizationCodes {

    private final Map<String, AuthorizationCode> codes = new HashMap<>();
    private final Map<String, Boolean> used = new HashMap<>();
    private final Map<String, String> issued = new HashMap<>();

    @Override
    public synchronized void save(AuthorizationCode code) {
        if (codes.putIfAbsent(code.codeHash(), code) != null) {
            throw new IllegalStateException("code hash already stored");
        }
    }

    @Override
    public synchronized Optional<Consumed> consume(String codeHash) {
        AuthorizationCode code = codes.get(codeHash);
        if (code == null) {
            return Optional.empty();
        }
        boolean first = used.put(codeHash, Boolean.TRUE) == null;
        return Optional.of(new Consumed(code, first, Optional.ofNullable(issued.get(codeHash))));
    }

    @Override
    public synchronized void recordIssued(String codeHash, String issuedGrant) {
        issued.put(codeHash, issuedGrant);
    }

    /** Every stored hash, to check no plaintext code is kept. */
    public synchronized java.util.Set<String> storedKeys() {
        return java.util.Set.copyOf(codes.keySet());
    }
}
