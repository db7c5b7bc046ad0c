package dev.latchkey.infrastructure.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads {@code template.yaml} (CloudFormation / SAM) into plain maps and lists, turning every
 * short-form intrinsic function tag into its long form: {@code !Ref X} becomes
 * {@code {"Ref": "X"}}, {@code !GetAtt A.B} becomes {@code {"Fn::GetAtt": ["A", "B"]}},
 * {@code !Condition C} becomes {@code {"Condition": "C"}} and any other {@code !Name v} becomes
 * {@code {"Fn::Name": v}}, whether {@code v} is a scalar, a sequence or a mapping.
 */
final class TemplateYaml {

    private TemplateYaml() {
    }

    /** The repository root: the nearest folder, from the working directory up, holding template.yaml and pom.xml. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("template.yaml")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no folder holding template.yaml and pom.xml above " + dir);
    }

    /** The repository's template.yaml. */
    static Path templatePath() {
        return repoRoot().resolve("template.yaml");
    }

    /**
     * Loads the repository's template.yaml as CloudFormation processes it after the {@code AWS::LanguageExtensions}
     * transform's {@code Fn::ForEach} (see {@link #expandForEach}); {@link #loadAsWritten()} keeps the loops.
     */
    static Map<String, Object> load() {
        return expandForEach(load(templatePath()));
    }

    /** Loads the repository's template.yaml as written, {@code Fn::ForEach} loops included. */
    static Map<String, Object> loadAsWritten() {
        return load(templatePath());
    }

    /**
     * Expands every {@code Fn::ForEach::<loop>} of {@code Resources} as {@code AWS::LanguageExtensions} does: for each
     * item of the collection, each output key with {@code ${Id}} replaced by the item, or {@code &{Id}} by the item
     * without its non-alphanumeric characters, and in the fragment {@code !Ref Id} and {@code ${Id}} in a
     * {@code !Sub} replaced by the item. Two items yielding the same logical id, or one that exists, fail.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> expandForEach(Map<String, Object> template) {
        Map<String, Object> copy = new LinkedHashMap<>(template);
        Map<String, Object> resources = new LinkedHashMap<>();
        ((Map<String, Object>) template.getOrDefault("Resources", Map.of())).forEach((key, value) -> {
            if (!key.startsWith("Fn::ForEach::")) {
                put(resources, key, value);
                return;
            }
            List<Object> loop = (List<Object>) value;
            String id = (String) loop.get(0);
            for (Object item : (List<Object>) loop.get(1)) {
                String text = String.valueOf(item);
                ((Map<String, Object>) loop.get(2)).forEach((outputKey, fragment) -> put(resources,
                        outputKey.replace("${" + id + "}", text)
                                .replace("&{" + id + "}", text.replaceAll("[^A-Za-z0-9]", "")),
                        substitute(fragment, id, text)));
            }
        });
        copy.put("Resources", resources);
        return copy;
    }

    private static void put(Map<String, Object> resources, String logicalId, Object resource) {
        if (resources.put(logicalId, resource) != null) {
            throw new IllegalArgumentException("logical id " + logicalId + " twice after Fn::ForEach");
        }
    }

    private static Object substitute(Object value, String id, String item) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && id.equals(map.get("Ref"))) {
                return item;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), "Fn::Sub".equals(k) && v instanceof String s
                    ? s.replace("${" + id + "}", item) : substitute(v, id, item)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> substitute(v, id, item)).toList();
        }
        return value;
    }

    /** Loads a CloudFormation template. */
    static Map<String, Object> load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses CloudFormation template text. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String yaml) {
        Object loaded = new Yaml(new IntrinsicConstructor(new LoaderOptions())).load(yaml);
        if (!(loaded instanceof Map)) {
            throw new IllegalArgumentException("template is not a mapping: " + loaded);
        }
        return (Map<String, Object>) loaded;
    }

    /** The long-form key of a short-form tag: {@code !Ref} → {@code Ref}, {@code !Sub} → {@code Fn::Sub}. */
    static String longForm(String tag) {
        String name = tag.substring(1);
        return name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
    }

    /** SafeConstructor plus one fallback for every local tag starting with "!". */
    private static final class IntrinsicConstructor extends SafeConstructor {

        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            // getConstructor(node) falls back to multi-constructors by tag prefix.
            this.yamlMultiConstructors.put("!", new Intrinsic());
        }

        private final class Intrinsic extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                String tag = node.getTag().getValue();
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    if (tag.equals("!GetAtt")) {
                        int dot = text.indexOf('.');
                        if (dot < 0) {
                            throw new IllegalArgumentException("!GetAtt needs Resource.Attribute: " + text);
                        }
                        value = List.of(text.substring(0, dot), text.substring(dot + 1));
                    } else {
                        value = text;
                    }
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else if (node instanceof MappingNode mapping) {
                    value = constructMapping(mapping);
                } else {
                    throw new IllegalArgumentException("unexpected node for " + tag + ": " + node);
                }
                Map<String, Object> longForm = new LinkedHashMap<>();
                longForm.put(longForm(tag), value);
                return longForm;
            }
        }
    }
}
