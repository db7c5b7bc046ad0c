package dev.latchkey.core.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Immutable, case-insensitive HTTP header multimap. Names are stored lower-cased (as API Gateway
 * HTTP APIs deliver them), so iteration order and equality do not depend on the sender's casing.
 */
public final class Headers {

    private static final Headers EMPTY = new Headers(new TreeMap<>());

    private final Map<String, List<String>> values;

    private Headers(TreeMap<String, List<String>> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** No headers. */
    public static Headers empty() {
        return EMPTY;
    }

    /** Headers from a name → values map; names are lower-cased and equal names merged. */
    public static Headers of(Map<String, ? extends List<String>> raw) {
        TreeMap<String, List<String>> merged = new TreeMap<>();
        raw.forEach((name, list) -> merged.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .addAll(list));
        merged.replaceAll((name, list) -> List.copyOf(list));
        return new Headers(merged);
    }

    /** Headers from single-valued pairs (name, value, name, value …). */
    public static Headers ofPairs(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("pairs must be name/value pairs");
        }
        TreeMap<String, List<String>> merged = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            merged.computeIfAbsent(pairs[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        merged.replaceAll((name, list) -> List.copyOf(list));
        return new Headers(merged);
    }

    /** The first value of the header, if present. */
    public Optional<String> first(String name) {
        List<String> list = values.get(name.toLowerCase(Locale.ROOT));
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /** Every value of the header, in order; empty when absent. */
    public List<String> all(String name) {
        return values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** All headers, names lower-cased, in name order. */
    public Map<String, List<String>> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Headers h && h.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Names only: header values may hold credentials and never go into a string form. */
    @Override
    public String toString() {
        return "Headers" + values.keySet();
    }
}
