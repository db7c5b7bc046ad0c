package dev.latchkey.core.http;

import dev.latchkey.core.error.LatchkeyException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Latchkey's JSON: {@code snake_case} properties, and strict reading of request bodies.
 *
 * <p>A request body is rejected with {@code VALIDATION_ERROR} (never with the parser's own message,
 * which can echo input such as a password) when it is not valid UTF-8, not JSON, nested deeper than
 * {@value #MAX_DEPTH} levels, has a duplicate key, an unknown field, a value of the wrong type (no
 * coercion between strings, numbers and booleans), a NUL character or an unpaired UTF-16 surrogate (a
 * {@code \ud800} escape without its partner, RFC 8259 §8.2: such a string is no Unicode text, and no store or
 * mail could encode it) in any string or field name, or anything after the value. Every endpoint reads its body
 * here, so no route can forget the rule.
 */
public final class Json {

    /** The deepest nesting a request body may have. */
    public static final int MAX_DEPTH = 32;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Json() {
    }

    /** The shared mapper (thread-safe, immutable). */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Serializes a value to UTF-8 JSON bytes. */
    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /**
     * Reads a request's JSON body into {@code type}, after checking that the content type is JSON.
     *
     * @throws RequestException {@code UNSUPPORTED_MEDIA_TYPE} for another content type,
     *     {@code VALIDATION_ERROR} for any malformed or unexpected body
     */
    public static <T> T readBody(HttpRequest request, Class<T> type) {
        String contentType = request.headers().first("content-type").orElse("");
        if (!isJson(contentType)) {
            throw RequestException.unsupportedMediaType("application/json");
        }
        return read(request.body(), type);
    }

    /**
     * Reads JSON bytes strictly into {@code type}.
     *
     * @throws RequestException {@code VALIDATION_ERROR} when the bytes are not acceptable
     */
    public static <T> T read(byte[] body, Class<T> type) {
        String text = decodeUtf8(body);
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw RequestException.invalid(describe(e), location(e));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw RequestException.invalid("Request body must be a JSON document.");
        }
        rejectUnsafeText(tree);
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof LatchkeyException cause) {
                throw cause;
            }
            throw RequestException.invalid("Request body is not valid for this operation.");
        } catch (UnrecognizedPropertyException e) {
            throw RequestException.invalid("Unknown field '" + safeName(e.getPropertyName()) + "'.",
                    Map.of("field", safeName(e.getPropertyName())));
        } catch (MismatchedInputException e) {
            String field = fieldPath(e);
            throw RequestException.invalid(field.isEmpty() ? "Request body has the wrong shape."
                    : "Field '" + field + "' has the wrong type or is missing.", field.isEmpty() ? Map.of()
                    : Map.of("field", field));
        } catch (JacksonException e) {
            throw RequestException.invalid("Request body is not valid for this operation.");
        }
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            return false;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset") && parameter.length == 2
                    && !parameter[1].trim().replace("\"", "").equalsIgnoreCase("utf-8")) {
                return false;
            }
        }
        return true;
    }

    private static String decodeUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw RequestException.invalid("Request body is not valid UTF-8.");
        }
    }

    private static void rejectUnsafeText(JsonNode node) {
        if (node.isString()) {
            checkText(node.asString());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                checkText(field.getKey());
                rejectUnsafeText(field.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                rejectUnsafeText(element);
            }
        }
    }

    /** No NUL, and every surrogate in a pair (high then low): the string is well-formed UTF-16. */
    private static void checkText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                throw RequestException.invalid("Request body contains a NUL character.",
                        Map.of("reason", "NUL_CHARACTER"));
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw RequestException.invalid("Request body contains an unpaired surrogate (\\uD800-\\uDFFF).",
                        Map.of("reason", "UNPAIRED_SURROGATE"));
            }
        }
    }

    private static String describe(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("duplicate")) {
            return "Request body has a duplicate field.";
        }
        if (message.contains("nesting depth")) {
            return "Request body is nested too deeply (at most " + MAX_DEPTH + " levels).";
        }
        if (message.contains("trailing")) {
            return "Request body has content after the JSON value.";
        }
        return "Request body is not valid JSON.";
    }

    private static Map<String, Object> location(JacksonException e) {
        var location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return Map.of();
        }
        return Map.of("line", location.getLineNr(), "column", location.getColumnNr());
    }

    private static String fieldPath(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(safeName(reference.getPropertyName()));
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Field names come from the client: cap their length and keep them printable. */
    private static String safeName(String name) {
        if (name == null) {
            return "";
        }
        String printable = name.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 64 ? printable.substring(0, 64) : printable;
    }
}
