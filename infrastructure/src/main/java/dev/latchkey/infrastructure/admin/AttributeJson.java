package dev.latchkey.infrastructure.admin;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB items to and from DynamoDB's own JSON shape ({@code {"S": "…"}}, {@code {"N": "…"}}, {@code {"B":
 * "<base64>"}}, {@code BOOL}, {@code NULL}, {@code L}, {@code M}, {@code SS}, {@code NS}, {@code BS}) as plain maps,
 * so an exported item is the stored item, attribute for attribute.
 */
final class AttributeJson {

    private AttributeJson() {
    }

    /** An item as a JSON-ready map, attributes in name order (stable exports). */
    static Map<String, Object> toJson(Map<String, AttributeValue> item) {
        Map<String, Object> json = new TreeMap<>();
        item.forEach((name, value) -> json.put(name, toJson(value)));
        return json;
    }

    private static Map<String, Object> toJson(AttributeValue value) {
        Map<String, Object> json = new LinkedHashMap<>();
        switch (value.type()) {
            case S -> json.put("S", value.s());
            case N -> json.put("N", value.n());
            case B -> json.put("B", Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case BOOL -> json.put("BOOL", value.bool());
            case NUL -> json.put("NULL", Boolean.TRUE);
            case L -> json.put("L", value.l().stream().map(AttributeJson::toJson).toList());
            case M -> json.put("M", toJson(value.m()));
            case SS -> json.put("SS", value.ss());
            case NS -> json.put("NS", value.ns());
            case BS -> json.put("BS", value.bs().stream()
                    .map(b -> Base64.getEncoder().encodeToString(b.asByteArray())).toList());
            default -> throw new IllegalArgumentException("unsupported attribute type " + value.type());
        }
        return json;
    }

    /**
     * An item from its JSON map.
     *
     * @throws IllegalArgumentException for anything but DynamoDB's JSON shape
     */
    static Map<String, AttributeValue> fromJson(Object json) {
        if (!(json instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("item is not an object");
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        map.forEach((name, value) -> item.put(String.valueOf(name), value(value)));
        return item;
    }

    private static AttributeValue value(Object json) {
        if (!(json instanceof Map<?, ?> map) || map.size() != 1) {
            throw new IllegalArgumentException("attribute is not a one-key object");
        }
        Map.Entry<?, ?> entry = map.entrySet().iterator().next();
        Object v = entry.getValue();
        return switch (String.valueOf(entry.getKey())) {
            case "S" -> AttributeValue.fromS(text(v));
            case "N" -> AttributeValue.fromN(text(v));
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(text(v))));
            case "BOOL" -> AttributeValue.fromBool(bool(v));
            case "NULL" -> AttributeValue.fromNul(Boolean.TRUE);
            case "L" -> AttributeValue.fromL(list(v).stream().map(AttributeJson::value).toList());
            case "M" -> AttributeValue.fromM(fromJson(v));
            case "SS" -> AttributeValue.fromSs(list(v).stream().map(AttributeJson::text).toList());
            case "NS" -> AttributeValue.fromNs(list(v).stream().map(AttributeJson::text).toList());
            case "BS" -> AttributeValue.fromBs(list(v).stream()
                    .map(b -> SdkBytes.fromByteArray(Base64.getDecoder().decode(text(b)))).toList());
            default -> throw new IllegalArgumentException("unknown attribute type");
        };
    }

    private static String text(Object v) {
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("expected a string");
        }
        return s;
    }

    private static boolean bool(Object v) {
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("expected a boolean");
        }
        return b;
    }

    private static List<?> list(Object v) {
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException("expected a list");
        }
        return new ArrayList<>(l);
    }
}
