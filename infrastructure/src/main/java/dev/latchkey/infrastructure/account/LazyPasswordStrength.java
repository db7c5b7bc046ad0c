package dev.latchkey.infrastructure.account;

import dev.latchkey.core.account.PasswordStrength;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link PasswordStrength} built on its first use, once: the nbvcxz estimator loads about 1.5 MB of word lists
 * (0.3–0.5 s on a cold JVM, {@link NbvcxzPasswordStrength}), which a function should pay only when one of its routes
 * assesses a password — registration, password change and reset do; password login, logout and forgot never do, yet
 * the login function wires all of them. {@link #prepare()} builds it ahead of time: SnapStart priming calls it (through
 * {@code CompositionRoot.warmUp()}) so a restored container never builds it on a request.
 *
 * <p>Thread-safe: concurrent first calls build one estimator (the others wait for it); a build that throws is tried
 * again on the next call.
 */
public final class LazyPasswordStrength implements PasswordStrength {

    private final Supplier<? extends PasswordStrength> build;
    private volatile PasswordStrength built;

    /**
     * @param build makes the estimator; called at most once unless it throws
     */
    public LazyPasswordStrength(Supplier<? extends PasswordStrength> build) {
        this.build = Objects.requireNonNull(build, "build");
    }

    @Override
    public Optional<Weakness> assess(String password, List<String> contextWords) {
        return prepare().assess(password, contextWords);
    }

    /** The estimator, built now if it is not yet. */
    public PasswordStrength prepare() {
        PasswordStrength strength = built;
        if (strength == null) {
            synchronized (this) {
                strength = built;
                if (strength == null) {
                    strength = Objects.requireNonNull(build.get(), "estimator");
                    built = strength;
                }
            }
        }
        return strength;
    }

    /** Whether the estimator has been built. */
    public boolean isBuilt() {
        return built != null;
    }
}
