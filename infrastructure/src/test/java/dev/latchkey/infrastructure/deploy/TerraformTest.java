package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import dev.latchkey.core.http.ApiCatalog;
import dev.latchkey.core.http.ApiCatalog.FunctionSpec;
import dev.latchkey.core.http.Route;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

/**
 * {@code terraform/} (root module and {@code modules/**}) against {@link ApiCatalog} and
 * {@link LatchkeyTable}, parsed with hcl4j.
 *
 * <p>How hcl4j represents things: a block is a nested map ({@code resource → type → name → body});
 * a block written once is a map, a block repeated is a list of maps (see {@link #blocks}).
 * References it cannot resolve come back as {@code VariableTree} objects whose text is the
 * reference ({@code aws_kms_key.latchkey.arn}); in string templates {@code ${...}} is dropped and
 * the reference text is inlined ({@code "integrations/module.health.integration_id"}). A function
 * it does not know ({@code merge}) evaluates to {@code null}, so the module is instantiated here:
 * its {@code main.tf} is parsed again with the module call's arguments (over the variable
 * defaults) set as variables and Terraform's {@code merge} registered.
 */
class TerraformTest {

    private static final Pattern MODULE_INTEGRATION =
            Pattern.compile("integrations/module\\.([A-Za-z0-9_-]+)\\.integration_id");

    private static Path terraform;
    private static List<Path> files;
    /** Root module: resource type → name → body. */
    private static Map<String, Map<String, Map<String, Object>>> resources;
    /** Root module: module name → arguments. */
    private static Map<String, Map<String, Object>> modules;

    @BeforeAll
    static void load() {
        terraform = TemplateYaml.repoRoot().resolve("terraform");
        try (Stream<Path> walk = Files.walk(terraform)) {
            files = walk.filter(p -> p.toString().endsWith(".tf") && Files.isRegularFile(p))
                    .filter(p -> !terraform.relativize(p).toString().startsWith(".terraform"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> root = parseModule(terraform, Map.of());
        resources = nested(root.get("resource"));
        modules = new TreeMap<>();
        SamTemplateTest.map(root.get("module")).forEach((name, args) -> modules.put(name, SamTemplateTest.map(args)));
    }

    // ------------------------------------------------------------------ parsing

    @Test
    void everyTerraformFileParses() {
        assertThat(files).isNotEmpty();
        assertThat(files).anySatisfy(f -> assertThat(f.getParent()).isEqualTo(terraform));
        assertThat(files).anySatisfy(f -> assertThat(terraform.relativize(f).toString()).startsWith("modules"));
        List<String> failures = new ArrayList<>();
        for (Path file : files) {
            try {
                Map<String, Object> parsed = new HCLParser().parse(file.toFile());
                if (parsed == null || parsed.isEmpty()) {
                    failures.add(terraform.relativize(file) + ": nothing parsed");
                }
            } catch (Exception | StackOverflowError e) {
                failures.add(terraform.relativize(file) + ": " + e);
            }
        }
        assertThat(failures).isEmpty();
    }

    // ------------------------------------------------------------------ routes

    @Test
    void everyCatalogRouteIsInTerraformAndNothingElse() {
        Map<String, Map<String, Object>> routes = resources.getOrDefault("aws_apigatewayv2_route", Map.of());
        assertThat(routes).isNotEmpty();
        List<Object> keys = routes.values().stream().map(r -> r.get("route_key")).toList();
        assertThat(keys).allSatisfy(k -> assertThat(k).as("route_key must be a literal").isInstanceOf(String.class));
        assertThat(keys).as("route keys declared twice").doesNotHaveDuplicates();
        assertThat(Set.copyOf(keys)).isEqualTo(Set.copyOf(ApiCatalog.routeKeys()));
    }

    @Test
    void everyRouteTargetsTheModuleOfTheFunctionTheCatalogNames() {
        Map<String, String> expected = new TreeMap<>();
        for (FunctionSpec spec : ApiCatalog.functions()) {
            String module = moduleFor(spec);
            for (Route route : spec.routes()) {
                expected.put(route.key(), module);
            }
        }
        expected.put(ApiCatalog.DEFAULT_ROUTE_KEY, moduleFor(ApiCatalog.defaultRouteFunction()));

        Map<String, String> actual = new TreeMap<>();
        resources.getOrDefault("aws_apigatewayv2_route", Map.of()).forEach((name, route) -> {
            // hcl4j drops ${...}: "integrations/${module.health.integration_id}" reads
            // "integrations/module.health.integration_id".
            Matcher m = MODULE_INTEGRATION.matcher(String.valueOf(route.get("target")));
            assertThat(m.matches()).as("route " + name + " target " + route.get("target")).isTrue();
            actual.put(String.valueOf(route.get("route_key")), m.group(1));
        });
        assertThat(actual).isNotEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ table

    @Test
    void tableMatchesLatchkeyTable() {
        Map<String, Map<String, Object>> tables = resources.getOrDefault("aws_dynamodb_table", Map.of());
        assertThat(tables).hasSize(1);
        Map<String, Object> table = tables.values().iterator().next();
        CreateTableRequest expected = LatchkeyTable.createTableRequest("latchkey");

        assertThat(table.get("hash_key")).isEqualTo(key(expected.keySchema(), KeyType.HASH))
                .isEqualTo(LatchkeyTable.PK);
        assertThat(table.get("range_key")).isEqualTo(key(expected.keySchema(), KeyType.RANGE))
                .isEqualTo(LatchkeyTable.SK);
        assertThat(table.get("billing_mode")).isEqualTo(expected.billingModeAsString()).isEqualTo("PAY_PER_REQUEST");

        List<Map<String, Object>> attributes = blocks(table.get("attribute"));
        assertThat(attributes).isNotEmpty();
        assertThat(attributes.stream().map(a -> a.get("name")).toList())
                .containsExactlyInAnyOrderElementsOf(LatchkeyTable.keyAttributes());
        assertThat(attributes).allSatisfy(a -> assertThat(a.get("type")).isEqualTo("S"));

        List<Map<String, Object>> indexes = blocks(table.get("global_secondary_index"));
        assertThat(indexes).hasSize(expected.globalSecondaryIndexes().size()).hasSize(1);
        Map<String, Object> gsi = indexes.get(0);
        List<KeySchemaElement> gsiKeys = expected.globalSecondaryIndexes().get(0).keySchema();
        assertThat(gsi.get("name")).isEqualTo(LatchkeyTable.GSI1);
        assertThat(gsi.get("hash_key")).isEqualTo(key(gsiKeys, KeyType.HASH)).isEqualTo(LatchkeyTable.GSI1_PK);
        assertThat(gsi.get("range_key")).isEqualTo(key(gsiKeys, KeyType.RANGE)).isEqualTo(LatchkeyTable.GSI1_SK);
        assertThat(gsi.get("projection_type")).isEqualTo("ALL");

        assertThat(single(table.get("ttl")))
                .containsEntry("attribute_name", LatchkeyTable.TTL_ATTRIBUTE)
                .containsEntry("enabled", true);
        assertThat(single(table.get("point_in_time_recovery"))).containsEntry("enabled", true);
        assertThat(table.get("deletion_protection_enabled")).isEqualTo(true);

        Map<String, Object> sse = single(table.get("server_side_encryption"));
        assertThat(sse).containsEntry("enabled", true);
        // An unresolved reference: hcl4j gives a VariableTree whose text is "aws_kms_key.<name>.arn".
        Matcher key = Pattern.compile("aws_kms_key\\.([A-Za-z0-9_-]+)\\.arn")
                .matcher(String.valueOf(sse.get("kms_key_arn")));
        assertThat(key.matches()).as("kms_key_arn " + sse.get("kms_key_arn")).isTrue();
        assertThat(resources.getOrDefault("aws_kms_key", Map.of())).containsKey(key.group(1));
    }

    @Test
    void kmsKeyRotates() {
        Map<String, Map<String, Object>> keys = resources.getOrDefault("aws_kms_key", Map.of());
        assertThat(keys).isNotEmpty();
        keys.forEach((name, key) -> assertThat(key.get("enable_key_rotation")).as(name).isEqualTo(true));
    }

    private static String key(List<KeySchemaElement> keySchema, KeyType type) {
        return keySchema.stream().filter(k -> k.keyType() == type).findFirst().orElseThrow().attributeName();
    }

    // ------------------------------------------------------------------ functions

    @Test
    void everyCatalogFunctionIsASnapStartJavaFunctionWithItsMainClassAndDefinition() {
        List<FunctionSpec> specs = ApiCatalog.functions();
        assertThat(specs).isNotEmpty();
        List<TfFunction> functions = functions();
        for (FunctionSpec spec : specs) {
            List<TfFunction> matching = functions.stream()
                    .filter(f -> spec.name().equals(f.environment().get("SPRING_CLOUD_FUNCTION_DEFINITION")))
                    .toList();
            assertThat(matching).as("Terraform functions with definition " + spec.name()).hasSize(1);
            TfFunction function = matching.get(0);
            Map<String, Object> body = function.body();
            String where = function.where();

            assertThat(function.environment()).as(where + " environment")
                    .containsEntry("MAIN_CLASS", spec.mainClass())
                    .containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", spec.name());
            assertThat(body.get("runtime")).as(where + " runtime").isEqualTo(SamTemplateTest.RUNTIME);
            assertThat(body.get("handler")).as(where + " handler").isEqualTo(SamTemplateTest.HANDLER);
            assertThat(single(body.get("snap_start"))).as(where + " snap_start")
                    .containsEntry("apply_on", "PublishedVersions");
            assertThat(body.get("publish")).as(where + " publish").isEqualTo(true);
            // "${var.lambda_zip_dir}/health/target/..." reads "var.lambda_zip_dir/health/target/..." in hcl4j.
            assertThat(String.valueOf(body.get("filename"))).as(where + " filename")
                    .endsWith("/" + spec.module() + "/target/latchkey-" + spec.module() + "-lambda.zip");
        }
    }

    @Test
    void terraformHasNoFunctionTheCatalogDoesNotKnow() {
        List<Object> definitions = functions().stream()
                .map(f -> f.environment().get("SPRING_CLOUD_FUNCTION_DEFINITION")).toList();
        assertThat(definitions).isNotEmpty();
        assertThat(definitions).containsExactlyInAnyOrderElementsOf(
                ApiCatalog.functions().stream().map(FunctionSpec::name).toList());
    }

    @Test
    void functionPoliciesGrantNoWildcards() {
        List<Map<String, Object>> statements = new ArrayList<>();
        modules.forEach((name, args) -> blocks(args.get("policy_statements")).forEach(s -> {
            Map<String, Object> statement = new LinkedHashMap<>(s);
            statement.put("_function", "module." + name);
            statements.add(statement);
        }));
        assertThat(statements).isNotEmpty();
        assertThat(SamTemplateTest.wildcardProblems(statements)).isEmpty();
    }

    /**
     * Issue #19 (1): {@code count}/{@code for_each} must be known at plan time. Over the API's id (known only after
     * apply) a first {@code terraform apply} on a fresh state fails with "Invalid count argument"; only input
     * variables (a plain boolean, a literal map) and literals may decide how many instances exist.
     */
    @Test
    void whenStateIsFreshThenNoCountOrForEachDependsOnAnAttributeKnownOnlyAfterApply() throws IOException {
        Pattern meta = Pattern.compile("^\\s*(count|for_each)\\s*=\\s*(.+)$", Pattern.MULTILINE);
        List<String> expressions = new ArrayList<>();
        for (Path file : files) {
            Matcher m = meta.matcher(Files.readString(file));
            while (m.find()) {
                expressions.add(terraform.relativize(file) + ": " + m.group(2).trim());
            }
        }
        assertThat(expressions).as("the function module counts its integration and permission").isNotEmpty();
        assertThat(expressions).allSatisfy(e -> assertThat(e)
                .doesNotContainPattern("(aws_[a-z0-9_]+|module|data)\\.[A-Za-z0-9_-]+")
                .doesNotContain("api_id").doesNotContain("api_execution_arn"));
        assertThat(expressions).anySatisfy(e -> assertThat(e).contains("var.http_api ? 1 : 0"));

        Map<String, Object> variables = SamTemplateTest.map(parseModule(terraform.resolve("modules/function"),
                Map.of()).get("variable"));
        assertThat(String.valueOf(SamTemplateTest.map(variables.get("http_api")).get("type")))
                .containsIgnoringCase("bool");
        // Every function the API invokes says so with the literal true; the scheduled one leaves the default false.
        modules.forEach((name, args) -> assertThat(args.get("http_api")).as("module " + name + " http_api")
                .isEqualTo(args.containsKey("api_id") ? Boolean.TRUE : null));
        assertThat(modules.values().stream().filter(a -> Boolean.TRUE.equals(a.get("http_api"))).count())
                .isEqualTo(ApiCatalog.functions().stream().filter(f -> !f.routes().isEmpty()).count());
    }

    /**
     * Issue #19 (8): one invoke permission per function, its source ARN a pattern over the whole API, never one per
     * route (37 routes of orgs would bring its resource policy near Lambda's 20 KB limit). The module holds the
     * only API permission; the root declares none per route (rotate-keys' schedule is its only root permission).
     */
    @Test
    void whenAFunctionServesManyRoutesThenItHasOneInvokePermissionWithASourceArnPattern() throws IOException {
        Map<String, Object> module = parseModule(terraform.resolve("modules/function"), Map.of());
        Map<String, Map<String, Object>> permissions = nested(module.get("resource"))
                .getOrDefault("aws_lambda_permission", Map.of());
        assertThat(permissions).containsOnlyKeys("api");
        Map<String, Object> api = permissions.get("api");
        assertThat(api).containsEntry("principal", "apigateway.amazonaws.com")
                .containsEntry("action", "lambda:InvokeFunction");
        String main = Files.readString(terraform.resolve("modules/function/main.tf"));
        assertThat(main).contains("source_arn    = \"${var.api_execution_arn}/*\"")
                .contains("qualifier     = aws_lambda_alias.live.name");
        assertThat(resources.getOrDefault("aws_lambda_permission", Map.of()))
                .containsOnlyKeys("rotate_keys_schedule");
    }

    /** Issue #19 (12): the first run of rotate-keys is by hand, so both tools output its function name. */
    @Test
    void whenDeployedThenTheRotateKeysFunctionNameIsAnOutputOfBothTools() {
        Map<String, Object> outputs = SamTemplateTest.map(parseModule(terraform, Map.of()).get("output"));
        assertThat(String.valueOf(SamTemplateTest.map(outputs.get("rotate_keys_function_name")).get("value")))
                .isEqualTo("module.rotate_keys.function_name");
        Map<String, Object> samOutputs = SamTemplateTest.map(TemplateYaml.load().get("Outputs"));
        assertThat(SamTemplateTest.map(samOutputs.get("RotateKeysFunctionName")).get("Value"))
                .isEqualTo(Map.of("Ref", "RotateKeysFunction"));
    }

    /** Issue #19 (6): issuer_url is validated with template.yaml's IssuerUrl pattern (or empty: the API endpoint). */
    @Test
    void whenIssuerUrlIsGivenThenItIsValidatedWithTheSamPattern() throws IOException {
        String samPattern = String.valueOf(SamTemplateTest.map(SamTemplateTest.map(TemplateYaml.load()
                .get("Parameters")).get("IssuerUrl")).get("AllowedPattern"));
        assertThat(samPattern).as("optional: empty = https://<DomainName>").startsWith("(https://").endsWith(")?");
        String variables = Files.readString(terraform.resolve("variables.tf"));
        String issuer = variables.substring(variables.indexOf("variable \"issuer_url\""));
        issuer = issuer.substring(0, issuer.indexOf("\n}\n"));
        // HCL doubles the backslashes of the regex; empty stays allowed by the optional group.
        assertThat(issuer).contains("condition     = can(regex(\"^" + samPattern.replace("\\", "\\\\")
                + "$\", var.issuer_url))");
    }

    /** Issue #19 (6): the schedule's invoke permission names the alias by reference, so it waits for it. */
    @Test
    void whenTheScheduleIsAllowedToInvokeThenItsPermissionDependsOnTheAlias() {
        Map<String, Object> permission = resources.get("aws_lambda_permission").get("rotate_keys_schedule");
        assertThat(String.valueOf(permission.get("qualifier"))).isEqualTo("module.rotate_keys.alias_name");
        assertThat(permission).containsEntry("principal", "events.amazonaws.com");
    }

    /** Issue #19 (9): architecture and tracing are variables passed to every function; memory as in SAM. */
    @Test
    void whenAppliedThenArchitectureAndTracingAreVariablesAndMemoryFollowsTheWork() throws IOException {
        String module = Files.readString(terraform.resolve("modules/function/main.tf"));
        assertThat(module).contains("architectures    = [var.architecture]").contains("mode = var.tracing_mode")
                .contains("memory_size      = var.memory_size");
        Map<String, Object> variables = SamTemplateTest.map(parseModule(terraform, Map.of()).get("variable"));
        assertThat(variables).containsKeys("architecture", "tracing_mode");
        assertThat(modules).hasSizeGreaterThanOrEqualTo(9);
        modules.forEach((name, args) -> {
            assertThat(String.valueOf(args.get("architecture"))).as(name).isEqualTo("var.architecture");
            assertThat(String.valueOf(args.get("tracing_mode"))).as(name).isEqualTo("var.tracing_mode");
            Object definition = args.get("definition");
            Object memory = args.get("memory_size");
            if ("register".equals(definition) || "login".equals(definition)) {
                assertThat(((Number) memory).intValue()).as(name).isEqualTo(1769);
            } else if ("health".equals(definition) || "jwks".equals(definition)) {
                assertThat(((Number) memory).intValue()).as(name).isEqualTo(512);
            } else {
                assertThat(memory).as(name + ": the module default, 1024").isNull();
            }
        });
    }

    /** Issue #19 (9): as in SAM, a failed scheduled rotation goes to a queue after two retries and alarms. */
    @Test
    void whenAScheduledRotationFailsThenItGoesToAFailureQueueThatRaisesAnAlarm() {
        Map<String, Object> config = resources.get("aws_lambda_function_event_invoke_config").get("rotate_keys");
        assertThat(String.valueOf(config.get("qualifier"))).isEqualTo("module.rotate_keys.alias_name");
        assertThat(((Number) config.get("maximum_retry_attempts")).intValue()).isEqualTo(2);
        assertThat(String.valueOf(single(single(config.get("destination_config")).get("on_failure"))
                .get("destination"))).isEqualTo("aws_sqs_queue.rotate_keys_failures.arn");
        assertThat(resources.get("aws_sqs_queue")).containsKey("rotate_keys_failures");
        Map<String, Object> alarm = resources.get("aws_cloudwatch_metric_alarm").get("rotate_keys_failures");
        assertThat(alarm).containsEntry("namespace", "AWS/SQS")
                .containsEntry("metric_name", "ApproximateNumberOfMessagesVisible")
                .containsEntry("comparison_operator", "GreaterThanThreshold");
        assertThat(String.valueOf(resources.get("aws_iam_role_policy").get("rotate_keys_failures").get("role")))
                .isEqualTo("module.rotate_keys.role_name");
    }

    /** A Lambda function: a root aws_lambda_function or one inside an instantiated module. */
    record TfFunction(String where, Map<String, Object> body) {
        Map<String, Object> environment() {
            return SamTemplateTest.map(single(body.get("environment")).get("variables"));
        }
    }

    private static List<TfFunction> functions() {
        List<TfFunction> functions = new ArrayList<>();
        resources.getOrDefault("aws_lambda_function", Map.of())
                .forEach((name, body) -> functions.add(new TfFunction("aws_lambda_function." + name, body)));
        modules.forEach((name, args) -> {
            Object source = args.get("source");
            assertThat(source).as("module " + name + " source").isInstanceOf(String.class);
            if (!((String) source).startsWith("./")) {
                return;
            }
            Path dir = terraform.resolve((String) source).normalize();
            Map<String, Object> instance = parseModule(dir, args);
            nested(instance.get("resource")).getOrDefault("aws_lambda_function", Map.of()).forEach((resource, body) ->
                    functions.add(new TfFunction("module." + name + ".aws_lambda_function." + resource, body)));
        });
        return functions;
    }

    /** The root module block whose function has this definition. */
    private static String moduleFor(FunctionSpec spec) {
        List<String> names = modules.entrySet().stream()
                .filter(e -> spec.name().equals(e.getValue().get("definition")))
                .map(Map.Entry::getKey).toList();
        assertThat(names).as("module with definition = " + spec.name()).hasSize(1);
        return names.get(0);
    }

    // ------------------------------------------------------------------ hcl4j helpers

    /**
     * Parses every .tf file of one module (not its sub-folders) and merges the top-level blocks.
     * With arguments, it is a module instance: variable defaults, overridden by the arguments, are
     * set as variables, and the variable declarations themselves are not re-parsed.
     */
    static Map<String, Object> parseModule(Path dir, Map<String, Object> arguments) {
        List<Path> moduleFiles;
        try (Stream<Path> list = Files.list(dir)) {
            moduleFiles = list.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(moduleFiles).as(".tf files in " + dir).isNotEmpty();

        Map<String, Object> variables = new LinkedHashMap<>();
        boolean instance = !arguments.isEmpty();
        if (instance) {
            for (Path file : moduleFiles) {
                SamTemplateTest.map(parse(file, Map.of()).get("variable")).forEach((name, decl) -> {
                    Map<String, Object> declaration = SamTemplateTest.map(decl);
                    if (declaration.containsKey("default")) {
                        variables.put(name, declaration.get("default"));
                    }
                });
            }
            variables.putAll(arguments);
        }

        Map<String, Object> merged = new LinkedHashMap<>();
        for (Path file : moduleFiles) {
            Map<String, Object> parsed = parse(file, variables);
            if (instance) {
                parsed.remove("variable");
            }
            deepMerge(merged, parsed);
        }
        return merged;
    }

    private static Map<String, Object> parse(Path file, Map<String, Object> variables) {
        HCLParser parser = new HCLParser();
        parser.registerFunction("merge", TerraformTest::merge);
        variables.forEach(parser::setVariable);
        try {
            return new LinkedHashMap<>(parser.parse(file.toFile()));
        } catch (Exception e) {
            throw new AssertionError("cannot parse " + file + ": " + e, e);
        }
    }

    /** Terraform's merge(): later maps win. */
    private static Object merge(List<Object> arguments) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Object argument : arguments) {
            if (argument instanceof Map<?, ?> m) {
                m.forEach((k, v) -> merged.put(String.valueOf(k), v));
            }
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, v) -> {
            Object existing = into.get(k);
            if (existing instanceof Map && v instanceof Map) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) existing);
                deepMerge(copy, (Map<String, Object>) v);
                into.put(k, copy);
            } else {
                into.put(k, v);
            }
        });
    }

    /** resource (or data) map: type → name → body. */
    private static Map<String, Map<String, Map<String, Object>>> nested(Object value) {
        Map<String, Map<String, Map<String, Object>>> byType = new TreeMap<>();
        SamTemplateTest.map(value).forEach((type, named) -> {
            Map<String, Map<String, Object>> byName = new TreeMap<>();
            SamTemplateTest.map(named).forEach((name, body) -> byName.put(name, SamTemplateTest.map(body)));
            byType.put(type, byName);
        });
        return byType;
    }

    /** A block that may be written several times: hcl4j gives a map for one, a list of maps for more. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> blocks(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Map) {
            return List.of((Map<String, Object>) value);
        }
        assertThat(value).isInstanceOf(List.class);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Object item : (List<?>) value) {
            list.add(SamTemplateTest.map(item));
        }
        return list;
    }

    /** A block written exactly once. */
    static Map<String, Object> single(Object value) {
        List<Map<String, Object>> blocks = blocks(value);
        assertThat(blocks).hasSize(1);
        return blocks.get(0);
    }
}
