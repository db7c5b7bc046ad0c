package dev.latchkey.infrastructure.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import dev.latchkey.core.http.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every log line of every function and of the local server as one JSON object (issue 17 item 3), for CloudWatch
 * Logs Insights and any log shipper: {@code timestamp}, {@code level}, {@code logger}, {@code message},
 * {@code function}, {@code request_id}, {@code trace_id} (from the MDC that {@code ApiGatewayFunction} sets per
 * request; {@code function} falls back to {@code AWS_LAMBDA_FUNCTION_NAME}), and {@code error} (the exception's
 * class and stack trace) when there is one. A message that is itself a JSON object (the {@code latchkey.request}
 * line) is merged into the line instead of quoted.
 *
 * <p>Everything but the fixed member names passes through {@link Redaction}: no secret shape reaches a log, whatever
 * the code above logged ({@code LogRedactionTest}). Configured in {@code logback.xml} (infrastructure), so every
 * Lambda zip and the local jar use it.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {

    /** MDC keys that {@code ApiGatewayFunction} sets for the duration of one request. */
    public static final String REQUEST_ID = "request_id";
    /** MDC key: the function's name. */
    public static final String FUNCTION = "function";
    /** MDC key: the X-Ray trace id (the {@code Root=} of {@code X-Amzn-Trace-Id}). */
    public static final String TRACE_ID = "trace_id";

    /** The members every line has, never taken from a merged message. */
    private static final Set<String> FIXED = Set.of("timestamp", "level", "logger", FUNCTION, REQUEST_ID, TRACE_ID,
            "message", "error");

    private final String defaultFunction = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "");

    @Override
    public String doLayout(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        StringBuilder line = new StringBuilder(256);
        line.append('{');
        member(line, "timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        line.append(',');
        member(line, "level", event.getLevel().toString());
        line.append(',');
        member(line, "logger", event.getLoggerName());
        line.append(',');
        member(line, FUNCTION, mdc.getOrDefault(FUNCTION, defaultFunction));
        line.append(',');
        member(line, REQUEST_ID, mdc.getOrDefault(REQUEST_ID, ""));
        line.append(',');
        member(line, TRACE_ID, mdc.getOrDefault(TRACE_ID, ""));
        String message = Redaction.redact(event.getFormattedMessage());
        String merged = message != null && message.length() > 2 && message.startsWith("{") && message.endsWith("}")
                && looksLikeOneObject(message) ? members(message) : null;
        if (merged != null) {
            line.append(merged);
        } else {
            line.append(',');
            member(line, "message", message == null ? "" : message);
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(',');
            member(line, "error", Redaction.redact(ThrowableProxyUtil.asString(thrown)));
        }
        return line.append('}').append('\n').toString();
    }

    /**
     * The members of a JSON object message, each preceded by a comma, without those the line already has (the
     * request line names its function and request id too); {@code null} when it does not parse.
     */
    private static String members(String message) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = Json.mapper().readValue(message, LinkedHashMap.class);
            StringBuilder out = new StringBuilder();
            for (Map.Entry<String, Object> entry : object.entrySet()) {
                if (!FIXED.contains(entry.getKey())) {
                    out.append(",\"");
                    escape(out, entry.getKey());
                    out.append("\":").append(Json.mapper().writeValueAsString(entry.getValue()));
                }
            }
            return out.toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A flat JSON object written by Latchkey's own {@code Json} (balanced, no nested line breaks). */
    private static boolean looksLikeOneObject(String text) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0 && i != text.length() - 1) {
                    return false;
                }
            } else if (c == '\n') {
                return false;
            }
        }
        return depth == 0 && !inString;
    }

    private static void member(StringBuilder line, String name, String value) {
        line.append('"').append(name).append("\":\"");
        escape(line, value);
        line.append('"');
    }

    /** JSON string escaping (RFC 8259 §7). */
    static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
