package dev.latchkey.core.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A route path such as {@code /v1/orgs/{orgId}/api-keys/{keyId}}, in the syntax API Gateway HTTP
 * APIs use: literal segments and whole-segment {@code {name}} variables.
 */
public final class PathTemplate {

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@-]+");

    private final String template;
    private final List<String> segments;
    /** Per segment: the variable's name, or {@code null} for a literal (parsed once: matching runs per request). */
    private final String[] variableNames;
    private final int literalCount;

    private PathTemplate(String template, List<String> segments) {
        this.template = template;
        this.segments = segments;
        this.variableNames = new String[segments.size()];
        int literals = 0;
        for (int i = 0; i < segments.size(); i++) {
            var variable = VARIABLE.matcher(segments.get(i));
            if (variable.matches()) {
                variableNames[i] = variable.group(1);
            } else {
                literals++;
            }
        }
        this.literalCount = literals;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException when the template is not an absolute path of literal and
     *     variable segments
     */
    public static PathTemplate parse(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with /: " + template);
        }
        List<String> segments = template.equals("/") ? List.of() : List.of(template.substring(1).split("/", -1));
        for (String segment : segments) {
            if (!VARIABLE.matcher(segment).matches() && !LITERAL.matcher(segment).matches()) {
                throw new IllegalArgumentException("bad segment '" + segment + "' in " + template);
            }
        }
        return new PathTemplate(template, segments);
    }

    /** The template text, as written in {@code template.yaml}. */
    public String text() {
        return template;
    }

    /** How many literal segments the template has: more literals win over variables. */
    public int literalCount() {
        return literalCount;
    }

    /** The path parameters when the path matches, else empty. Variables never match an empty segment. */
    public Optional<Map<String, String>> match(String path) {
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        List<String> parts = path.equals("/") ? List.of() : List.of(path.substring(1).split("/", -1));
        if (parts.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            if (variableNames[i] != null) {
                if (parts.get(i).isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(variableNames[i], parts.get(i));
            } else if (!segments.get(i).equals(parts.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }

    /** The variable names, in order. */
    public List<String> variables() {
        List<String> names = new ArrayList<>();
        for (String name : variableNames) {
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathTemplate p && p.template.equals(template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }

    @Override
    public String toString() {
        return template;
    }
}
