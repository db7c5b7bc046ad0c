package dev.latchkey.infrastructure.logging;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code java.util.logging} — and so the JDK's {@code System.Logger}, which core's {@code HttpApplication}
 * uses to stay framework-free — to SLF4J, so those lines too are JSON and redacted ({@link JsonLogLayout}). Without
 * it they went to standard error in the JDK's two-line format. Installed once per container by
 * {@code LatchkeyRuntime}; replaces the JDK's console handler on the root logger. (The {@code jul-to-slf4j} jar is
 * not on the classpath; this is its one method that Latchkey needs.)
 */
public final class JulBridge extends Handler {

    private JulBridge() {
    }

    /** Routes the root JUL logger to SLF4J; idempotent. */
    public static synchronized void install() {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            if (handler instanceof JulBridge) {
                return;
            }
            root.removeHandler(handler);
        }
        root.addHandler(new JulBridge());
        root.setLevel(Level.INFO);
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        Logger logger = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
        String message = record.getMessage();
        int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            logger.error(message, record.getThrown());
        } else if (level >= Level.WARNING.intValue()) {
            logger.warn(message, record.getThrown());
        } else if (level >= Level.INFO.intValue()) {
            logger.info(message, record.getThrown());
        } else {
            logger.debug(message, record.getThrown());
        }
    }

    @Override
    public void flush() {
        // SLF4J's appenders flush themselves.
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
