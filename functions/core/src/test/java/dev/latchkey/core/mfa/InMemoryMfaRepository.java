package dev.latchkey.core.mfa;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link MfaRepository} in memory; every method synchronized, as the table's conditional writes are atomic. */
public final class InMemoryMfaRepository implements MfaRepository {

    private final Map<String, TotpFactor> factors = new HashMap<>();
    private final Map<String, PendingTotp> pending = new HashMap<>();
    private final Map<String, Set<String>> codes = new HashMap<>();

    @Override
    public synchronized Optional<TotpFactor> findTotp(String userId) {
        return Optional.ofNullable(factors.get(userId));
    }

    @Override
    public synchronized void savePending(PendingTotp value) {
        pending.put(value.userId(), value);
    }

    @Override
    public synchronized Optional<PendingTotp> findPending(String userId) {
        return Optional.ofNullable(pending.get(userId));
    }

    @Override
    public synchronized boolean activate(TotpFactor factor, List<String> recoveryCodeHashes) {
        PendingTotp current = pending.get(factor.userId());
        if (current == null || !current.secret().equals(factor.secret())) {
            return false;
        }
        pending.remove(factor.userId());
        factors.put(factor.userId(), factor);
        codes.put(factor.userId(), new HashSet<>(recoveryCodeHashes));
        return true;
    }

    @Override
    public synchronized boolean acceptStep(String userId, long step, Instant usedAt) {
        TotpFactor factor = factors.get(userId);
        if (factor == null || factor.lastStep() >= step) {
            return false;
        }
        factors.put(userId, new TotpFactor(userId, factor.secret(), factor.createdAt(), Optional.of(usedAt), step));
        return true;
    }

    @Override
    public synchronized boolean consumeRecoveryCode(String userId, String codeHash, Instant usedAt) {
        boolean removed = codes.getOrDefault(userId, new HashSet<>()).remove(codeHash);
        TotpFactor factor = factors.get(userId);
        if (removed && factor != null) {
            factors.put(userId, new TotpFactor(userId, factor.secret(), factor.createdAt(), Optional.of(usedAt),
                    factor.lastStep()));
        }
        return removed;
    }

    @Override
    public synchronized int recoveryCodesLeft(String userId) {
        return codes.getOrDefault(userId, Set.of()).size();
    }

    @Override
    public synchronized void replaceRecoveryCodes(String userId, List<String> codeHashes, Instant createdAt) {
        codes.put(userId, new HashSet<>(codeHashes));
    }

    @Override
    public synchronized boolean remove(String userId) {
        pending.remove(userId);
        codes.remove(userId);
        return factors.remove(userId) != null;
    }
}
