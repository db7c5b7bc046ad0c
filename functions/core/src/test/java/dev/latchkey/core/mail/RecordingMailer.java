package dev.latchkey.core.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** In-memory {@link Mailer} for unit tests: keeps what was sent, or fails on demand. */
public final class RecordingMailer implements Mailer {

    private final List<MailMessage> sent = new ArrayList<>();
    private volatile RuntimeException failure;

    /** Makes every later send throw {@code value}; {@code null} heals it. */
    public RecordingMailer failWith(RuntimeException value) {
        this.failure = value;
        return this;
    }

    @Override
    public synchronized void send(MailMessage message) {
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
        sent.add(message);
    }

    /** Every message sent, in order. */
    public synchronized List<MailMessage> sent() {
        return List.copyOf(sent);
    }

    /** The last message with this purpose. */
    public synchronized Optional<MailMessage> latest(String purpose) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).purpose().equals(purpose)) {
                return Optional.of(sent.get(i));
            }
        }
        return Optional.empty();
    }
}
