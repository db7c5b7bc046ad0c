package dev.latchkey.cli;

import java.io.PrintWriter;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a command prints: for people ({@code --output text}, the default) or for scripts ({@code --output json}: one
 * JSON document on standard output). Secrets appear only where a command exists to show them once (a new API key,
 * bootstrap's token), never in errors.
 */
final class Output {

    /** The formats of {@code --output}. */
    enum Format { text, json }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Format format;
    private final PrintWriter out;

    Output(Format format, PrintWriter out) {
        this.format = format;
        this.out = out;
    }

    boolean json() {
        return format == Format.json;
    }

    /** Prints the result: {@code json} as one document, else {@code text}. */
    void result(Map<String, ?> json, String text) {
        if (json()) {
            out.println(JSON.writeValueAsString(json));
        } else {
            out.println(text);
        }
        out.flush();
    }

    static String toJson(Object value) {
        return JSON.writeValueAsString(value);
    }
}
