package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.infrastructure.deploy.ApiCatalog.FunctionSpec;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * {@code terraform/} (root module and {@code modules/**}) against {@link ApiCatalog} (through {@code routes.json},
 * which {@link RouteDeclarationTest} keeps equal to it) and {@link LatchkeyTable}, parsed with hcl4j. The executable
 * counterpart is {@code terraform/tests/plan.tftest.hcl} ({@code terraform test}, a mocked provider).
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

    private static Path terraform;
    private static List<Path> files;
    /** Root module: resource type → name → body. */
    private static Map<String, Map<String, Map<String, Object>>> resources;
    /** Root module: module name → arguments. */
    private static Map<String, Map<String, Object>> modules;
    /** Root module: local.function_settings, function name → settings. */
    private static Map<String, Map<String, Object>> settings;
    /** terraform/routes.json, the declaration Terraform reads. */
    private static JsonNode declaration;

    @BeforeAll
    static void load() throws IOException {
        terraform = TemplateYaml.repoRoot().resolve("terraform");
        try (Stream<Path> walk = Files.walk(terraform)) {
            files = walk.filter(p -> p.toString().endsWith(".tf") && Files.isRegularFile(p))
                    .filter(p -> !terraform.relativize(p).toString().startsWith(".terraform"))
                    .sorted().toList();
        }
        Map<String, Object> root = parseModule(terraform, Map.of());
        resources = nested(root.get("resource"));
        modules = new TreeMap<>();
        SamTemplateTest.map(root.get("module")).forEach((name, args) -> modules.put(name, SamTemplateTest.map(args)));
        settings = functionSettings(terraform);
        declaration = new ObjectMapper().readTree(terraform.resolve("routes.json").toFile());
    }

    /** {@code local.function_settings} of the root module: function name → settings (policy statements, ...). */
    static Map<String, Map<String, Object>> functionSettings(Path terraform) {
        Map<String, Map<String, Object>> bySettings = new TreeMap<>();
        Map<String, Object> locals = new LinkedHashMap<>();
        blocks(parseModule(terraform, Map.of()).get("locals")).forEach(locals::putAll);
        SamTemplateTest.map(locals.get("function_settings"))
                .forEach((name, value) -> bySettings.put(name, SamTemplateTest.map(value)));
        assertThat(bySettings).as("local.function_settings").isNotEmpty();
        return bySettings;
    }

    private static String everyFileText() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path file : files) {
            text.append(Files.readString(file)).append('\n');
        }
        return text.toString();
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

    /**
     * Issue #13 "Routes declared once", issue #19 item 6: no route is written in HCL. One route resource iterates
     * {@code local.routes}, built from {@code routes.json} (the declaration, {@link RouteDeclarationTest}), so every
     * declared route exists exactly once (a map key) and targets its declared function's module instance.
     */
    @Test
    void whenARouteIsDeclaredThenTerraformCreatesItOnceFromRoutesJson() throws IOException {
        Map<String, Map<String, Object>> routes = resources.getOrDefault("aws_apigatewayv2_route", Map.of());
        assertThat(routes).as("one for_each route resource, no route written by hand").containsOnlyKeys("this");
        Map<String, Object> route = routes.get("this");
        assertThat(String.valueOf(route.get("route_key"))).isEqualTo("each.key");
        String functions = Files.readString(terraform.resolve("functions.tf"));
        // hcl4j evaluates locals half-way: the expressions are checked as written.
        assertThat(functions).contains("resource \"aws_apigatewayv2_route\" \"this\" {\n  for_each = local.routes\n")
                .contains("declaration = jsondecode(file(\"${path.module}/routes.json\"))")
                .contains("routes = merge({ \"$default\" = local.declaration.default_route_function }, {")
                .contains("for name, declared in local.declaration.functions : [for key in declared.routes : "
                        + "{ key = key, function = name }]")
                .contains("]) : route.key => route.function")
                .contains("target    = \"integrations/${module.function[each.value].integration_id}\"");
        assertThat(everyFileText()).as("no route key literal anywhere in HCL")
                .doesNotContainPattern("route_key\\s*=\\s*\"");

        // What local.routes evaluates to: route key -> function, from the declaration file.
        Map<String, String> evaluated = new TreeMap<>();
        evaluated.put(ApiCatalog.DEFAULT_ROUTE_KEY, declaration.get("default_route_function").asText());
        declaration.get("functions").properties().forEach(f -> f.getValue().get("routes")
                .forEach(key -> assertThat(evaluated.put(key.asText(), f.getKey())).as(key.asText()).isNull()));
        Map<String, String> expected = new TreeMap<>();
        ApiCatalog.functions().forEach(spec -> spec.routes().forEach(r -> expected.put(r.key(), spec.name())));
        expected.put(ApiCatalog.DEFAULT_ROUTE_KEY, ApiCatalog.defaultRouteFunction().name());
        assertThat(evaluated).isEqualTo(expected);
        assertThat(evaluated.keySet()).isEqualTo(ApiCatalog.routeKeys());
    }

    /** One module instance per declared function, keyed by its name; every declared function has settings. */
    @Test
    void whenAFunctionIsDeclaredThenTerraformInstantiatesTheFunctionModuleForItWithItsSettings() throws IOException {
        assertThat(modules).containsOnlyKeys("function");
        Map<String, Object> module = modules.get("function");
        assertThat(module).containsEntry("source", "./modules/function");
        String functions = Files.readString(terraform.resolve("functions.tf"));
        assertThat(functions).contains("module \"function\" {\n  source   = \"./modules/function\"\n"
                + "  for_each = local.functions\n").contains("for name, declared in local.declaration.functions :\n"
                + "    name => merge(local.function_defaults, local.function_settings[name], declared)");
        assertThat(settings.keySet()).as("local.function_settings")
                .containsExactlyInAnyOrderElementsOf(ApiCatalog.functions().stream().map(FunctionSpec::name).toList());
        settings.forEach((name, s) -> assertThat(s).as(name).containsKeys("description", "policy_statements"));
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
        settings.forEach((name, s) -> blocks(s.get("policy_statements")).forEach(one -> {
            Map<String, Object> statement = new LinkedHashMap<>(one);
            statement.put("_function", "local.function_settings." + name);
            statements.add(statement);
        }));
        assertThat(statements).isNotEmpty();
        assertThat(SamTemplateTest.wildcardProblems(statements)).isEmpty();
    }

    /**
     * Issue #19 (1): {@code count}/{@code for_each} must be known at plan time. Over the API's id (known only after
     * apply) a first {@code terraform apply} on a fresh state fails with "Invalid count argument"; only input
     * variables, locals built from them and from files (routes.json), and literals may decide how many instances
     * exist.
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
        assertThat(expressions).anySatisfy(e -> assertThat(e).contains("var.http_api ? 1 : 0"))
                .anySatisfy(e -> assertThat(e).isEqualTo("functions.tf: local.functions"))
                .anySatisfy(e -> assertThat(e).isEqualTo("functions.tf: local.routes"));

        Map<String, Object> variables = SamTemplateTest.map(parseModule(terraform.resolve("modules/function"),
                Map.of()).get("variable"));
        assertThat(String.valueOf(SamTemplateTest.map(variables.get("http_api")).get("type")))
                .containsIgnoringCase("bool");
        // The declaration's trigger, a literal of routes.json, decides it: "http" for every function with routes.
        assertThat(Files.readString(terraform.resolve("functions.tf")))
                .contains("http_api          = each.value.trigger == \"http\"");
        declaration.get("functions").properties().forEach(f -> assertThat(f.getValue().get("trigger").asText())
                .as(f.getKey()).isEqualTo(f.getValue().get("routes").isEmpty() ? "schedule" : "http"));
        // The functions' keys and the routes' keys come from the declaration file and literals only.
        Map<String, Object> locals = new LinkedHashMap<>();
        blocks(parseModule(terraform, Map.of()).get("locals")).forEach(locals::putAll);
        assertThat(locals).containsKeys("declaration", "functions", "routes", "function_settings");
    }

    /**
     * Issue #19 (8): one invoke permission per function, its source ARN a pattern over the whole API, never one per
     * route (37 routes of orgs would bring its resource policy near Lambda's 20 KB limit). The module holds the
     * only API permission, counted by the plain boolean; the root declares none per route (rotate-keys' schedule is
     * its only root permission).
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
                .contains("qualifier     = aws_lambda_alias.live.name")
                .contains("count         = var.http_api ? 1 : 0");
        assertThat(resources.getOrDefault("aws_lambda_permission", Map.of()))
                .containsOnlyKeys("rotate_keys_schedule");
        // One integration per function too, to its live alias; routes share it.
        assertThat(main).contains("integration_uri        = aws_lambda_alias.live.arn");
    }

    /**
     * Issue #19 (6): a published SnapStart version is Pending until its snapshot exists and the provider does not
     * wait on a first publish, so the alias takes its version from a {@code terraform_data} whose creation ran the
     * AWS CLI's documented waiter {@code aws lambda wait published-version-active}: live never points at a version
     * that cannot run yet. A variable can turn the wait off (no AWS CLI).
     */
    @Test
    void whenAVersionIsPublishedThenLiveMovesOnlyOnceItsSnapshotIsActive() throws IOException {
        Map<String, Object> module = parseModule(terraform.resolve("modules/function"), Map.of());
        Map<String, Object> wait = nested(module.get("resource")).get("terraform_data").get("version_active");
        assertThat(String.valueOf(wait.get("input"))).isEqualTo("aws_lambda_function.this.version");
        String main = Files.readString(terraform.resolve("modules/function/main.tf"));
        assertThat(main).contains("count = var.wait_for_snapstart ? 1 : 0")
                .contains("triggers_replace = [aws_lambda_function.this.version]")
                .contains("command = \"aws lambda wait published-version-active --region "
                        + "${data.aws_region.current.region} --function-name "
                        + "${aws_lambda_function.this.function_name} --qualifier ${aws_lambda_function.this.version}\"")
                .contains("function_version = var.wait_for_snapstart ? terraform_data.version_active[0].output : "
                        + "aws_lambda_function.this.version");
        assertThat(String.valueOf(modules.get("function").get("wait_for_snapstart")))
                .isEqualTo("var.wait_for_snapstart");
        Map<String, Object> variables = SamTemplateTest.map(parseModule(terraform, Map.of()).get("variable"));
        assertThat(SamTemplateTest.map(variables.get("wait_for_snapstart"))).containsEntry("default", true);
    }

    /** Issue #19 (12): the first run of rotate-keys is by hand, so both tools output its function name. */
    @Test
    void whenDeployedThenTheRotateKeysFunctionNameIsAnOutputOfBothTools() throws IOException {
        assertThat(Files.readString(terraform.resolve("outputs.tf"))).contains("output \"rotate_keys_function_name\"")
                .contains("value       = module.function[\"rotate-keys\"].function_name");
        Map<String, Object> samOutputs = SamTemplateTest.map(TemplateYaml.load().get("Outputs"));
        assertThat(SamTemplateTest.map(samOutputs.get("RotateKeysFunctionName")).get("Value"))
                .isEqualTo(Map.of("Ref", "RotateKeysFunction"));
    }

    /** Issue #19 (6): issuer_url is validated with template.yaml's IssuerUrl pattern (or empty: derived). */
    @Test
    void whenIssuerUrlIsGivenThenItIsValidatedWithTheSamPattern() throws IOException {
        String samPattern = String.valueOf(SamTemplateTest.map(SamTemplateTest.map(TemplateYaml.load()
                .get("Parameters")).get("IssuerUrl")).get("AllowedPattern"));
        assertThat(samPattern).as("optional: empty = derived").startsWith("(https://").endsWith(")?");
        String variables = Files.readString(terraform.resolve("variables.tf"));
        // HCL doubles the backslashes of the regex; empty stays allowed by the optional group.
        assertThat(variable(variables, "issuer_url")).contains("condition     = can(regex(\"^"
                + samPattern.replace("\\", "\\\\") + "$\", var.issuer_url))");
        String domainPattern = String.valueOf(SamTemplateTest.map(SamTemplateTest.map(TemplateYaml.load()
                .get("Parameters")).get("DomainName")).get("AllowedPattern"));
        assertThat(variable(variables, "domain_name")).contains("condition     = can(regex(\"^"
                + domainPattern.replace("\\", "\\\\") + "$\", var.domain_name))");
    }

    /**
     * Issue #19 (2, 6): as in SAM, an optional custom domain (domain_name + certificate_arn) maps the API's
     * {@code $default} stage to a regional API Gateway domain, and the issuer is {@code https://<domain_name>} (a
     * variable, known before any resource exists), else issuer_url, else the API's endpoint.
     */
    @Test
    void whenADomainNameIsGivenThenTheApiIsMappedToItAndTheIssuerIsDerived() throws IOException {
        Map<String, Object> domain = resources.get("aws_apigatewayv2_domain_name").get("latchkey");
        Map<String, Object> configuration = single(domain.get("domain_name_configuration"));
        assertThat(String.valueOf(configuration.get("certificate_arn"))).isEqualTo("var.certificate_arn");
        assertThat(configuration).containsEntry("endpoint_type", "REGIONAL")
                .containsEntry("security_policy", "TLS_1_2");
        Map<String, Object> mapping = resources.get("aws_apigatewayv2_api_mapping").get("latchkey");
        assertThat(String.valueOf(mapping.get("stage"))).isEqualTo("aws_apigatewayv2_stage.default.id");
        assertThat(String.valueOf(mapping.get("api_id"))).isEqualTo("aws_apigatewayv2_api.latchkey.id");
        assertThat(mapping).doesNotContainKey("api_mapping_key");
        String domainTf = Files.readString(terraform.resolve("domain.tf"));
        assertThat(domainTf).contains("custom_domain = var.domain_name != \"\"")
                .contains("api_domain    = var.edge_enabled ? var.edge_origin_domain_name : var.domain_name")
                .contains("domain_name = local.api_domain")
                .contains("count       = local.custom_domain ? 1 : 0")
                .contains("condition     = var.certificate_arn != \"\"");
        assertThat(Files.readString(terraform.resolve("functions.tf")))
                .contains("issuer = (var.issuer_url != \"\" ? var.issuer_url\n"
                        + "  : var.domain_name != \"\" ? \"https://${var.domain_name}\" : "
                        + "aws_apigatewayv2_api.latchkey.api_endpoint)")
                .contains("LATCHKEY_ISSUER     = local.issuer");
        assertThat(Files.readString(terraform.resolve("outputs.tf"))).contains("output \"issuer_url\"")
                .contains("output \"domain_target\"").contains("output \"domain_hosted_zone_id\"");
    }

    /** Issue #19 (6): the schedule's invoke permission names the alias by reference, so it waits for it. */
    @Test
    void whenTheScheduleIsAllowedToInvokeThenItsPermissionDependsOnTheAlias() throws IOException {
        Map<String, Object> permission = resources.get("aws_lambda_permission").get("rotate_keys_schedule");
        assertThat(permission).containsEntry("principal", "events.amazonaws.com");
        assertThat(Files.readString(terraform.resolve("functions.tf")))
                .contains("qualifier     = module.function[\"rotate-keys\"].alias_name # depends on the alias")
                .contains("arn  = module.function[\"rotate-keys\"].alias_arn");
    }

    /** Issue #19 (9): architecture and tracing are variables passed to every function; memory as in SAM. */
    @Test
    void whenAppliedThenArchitectureAndTracingAreVariablesAndMemoryFollowsTheWork() throws IOException {
        String module = Files.readString(terraform.resolve("modules/function/main.tf"));
        assertThat(module).contains("architectures    = [var.architecture]").contains("mode = var.tracing_mode")
                .contains("memory_size      = var.memory_size");
        Map<String, Object> variables = SamTemplateTest.map(parseModule(terraform, Map.of()).get("variable"));
        assertThat(variables).containsKeys("architecture", "tracing_mode");
        Map<String, Object> args = modules.get("function");
        assertThat(String.valueOf(args.get("architecture"))).isEqualTo("var.architecture");
        assertThat(String.valueOf(args.get("tracing_mode"))).isEqualTo("var.tracing_mode");
        assertThat(String.valueOf(args.get("memory_size"))).isEqualTo("each.value.memory_size");
        assertThat(settings).hasSizeGreaterThanOrEqualTo(9);
        settings.forEach((name, s) -> {
            Object memory = s.get("memory_size");
            if ("register".equals(name) || "login".equals(name)) {
                assertThat(((Number) memory).intValue()).as(name).isEqualTo(1769);
            } else if ("health".equals(name) || "jwks".equals(name)) {
                assertThat(((Number) memory).intValue()).as(name).isEqualTo(512);
            } else {
                assertThat(memory).as(name + ": local.function_defaults, 1024").isNull();
            }
        });
        Map<String, Object> locals = new LinkedHashMap<>();
        blocks(parseModule(terraform, Map.of()).get("locals")).forEach(locals::putAll);
        assertThat(((Number) SamTemplateTest.map(locals.get("function_defaults")).get("memory_size")).intValue())
                .isEqualTo(1024);
    }

    /**
     * Issue #19 (9): as in SAM, a failed scheduled rotation goes to a queue after two retries and alarms; the alarm
     * notifies alarm_topic_arn, else a topic made for alarm_email (with its email subscription), else nobody.
     */
    @Test
    void whenAScheduledRotationFailsThenItGoesToAFailureQueueThatRaisesAnAlarmWithAnAction() throws IOException {
        Map<String, Object> config = resources.get("aws_lambda_function_event_invoke_config").get("rotate_keys");
        assertThat(String.valueOf(config.get("qualifier"))).contains("alias_name");
        assertThat(((Number) config.get("maximum_retry_attempts")).intValue()).isEqualTo(2);
        assertThat(String.valueOf(single(single(config.get("destination_config")).get("on_failure"))
                .get("destination"))).isEqualTo("aws_sqs_queue.rotate_keys_failures.arn");
        assertThat(resources.get("aws_sqs_queue")).containsKey("rotate_keys_failures");
        Map<String, Object> alarm = resources.get("aws_cloudwatch_metric_alarm").get("rotate_keys_failures");
        assertThat(alarm).containsEntry("namespace", "AWS/SQS")
                .containsEntry("metric_name", "ApproximateNumberOfMessagesVisible")
                .containsEntry("comparison_operator", "GreaterThanThreshold");
        assertThat(String.valueOf(resources.get("aws_iam_role_policy").get("rotate_keys_failures").get("role")))
                .contains("role_name");

        String functions = Files.readString(terraform.resolve("functions.tf"));
        assertThat(functions).contains("  alarm_actions = local.alarm_actions\n")
                .contains("alarm_actions = var.alarm_topic_arn != \"\" ? [var.alarm_topic_arn] : "
                + "aws_sns_topic.alarms[*].arn");
        assertThat(resources.get("aws_sns_topic")).containsOnlyKeys("alarms");
        Map<String, Object> subscription = resources.get("aws_sns_topic_subscription").get("alarm_email");
        assertThat(subscription).containsEntry("protocol", "email");
        assertThat(String.valueOf(subscription.get("endpoint"))).isEqualTo("var.alarm_email");
        assertThat(functions.split("count     = var.alarm_topic_arn == \"\" && var.alarm_email != \"\" \\? 1 : 0",
                -1)).as("the topic and its subscription exist only for alarm_email").hasSize(2);
        assertThat(functions).contains("count = var.alarm_topic_arn == \"\" && var.alarm_email != \"\" ? 1 : 0");
        Map<String, Object> variables = SamTemplateTest.map(parseModule(terraform, Map.of()).get("variable"));
        assertThat(SamTemplateTest.map(variables.get("alarm_email"))).containsEntry("default", "");
        assertThat(SamTemplateTest.map(variables.get("alarm_topic_arn"))).containsEntry("default", "");
    }

    /**
     * Issue #19 (6): the state's backend is documented where it is configured (an S3 example with its native lock,
     * commented), and the lock file question is answered in docs/deployment.md.
     */
    @Test
    void whenATeamAppliesThenARemoteStateBackendIsDocumented() throws IOException {
        String versions = Files.readString(terraform.resolve("versions.tf"));
        assertThat(versions).contains("# backend \"s3\" {").contains("#   use_lockfile = true")
                .contains("#   encrypt      = true");
        assertThat(Files.readString(TemplateYaml.repoRoot().resolve("docs/deployment.md")))
                .contains(".terraform.lock.hcl").contains("terraform providers lock");
    }

    /** A Lambda function: a root aws_lambda_function or one inside an instantiated module. */
    record TfFunction(String where, Map<String, Object> body) {
        Map<String, Object> environment() {
            return SamTemplateTest.map(single(body.get("environment")).get("variables"));
        }
    }

    /**
     * Every function: root aws_lambda_function resources, and one instance of each local module per declared function
     * (its for_each key), with {@code each.key} and {@code each.value.<attribute>} in the call's arguments resolved
     * from routes.json and local.function_settings as Terraform's merge would.
     */
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
            declaration.get("functions").properties().forEach(declared -> {
                Map<String, Object> instance = parseModule(dir, eachArguments(args, declared.getKey(),
                        declared.getValue()));
                nested(instance.get("resource")).getOrDefault("aws_lambda_function", Map.of())
                        .forEach((resource, body) -> functions.add(new TfFunction("module." + name + "[\""
                                + declared.getKey() + "\"].aws_lambda_function." + resource, body)));
            });
        });
        return functions;
    }

    /** A for_each module call's arguments with each.key and each.value.* resolved for one instance. */
    private static Map<String, Object> eachArguments(Map<String, Object> args, String key, JsonNode declared) {
        Map<String, Object> value = new LinkedHashMap<>(settings.getOrDefault(key, Map.of()));
        declared.properties().forEach(p -> value.put(p.getKey(), p.getValue().isTextual() ? p.getValue().asText()
                : p.getValue().toString()));
        Map<String, Object> resolved = new LinkedHashMap<>();
        args.forEach((name, arg) -> {
            String text = String.valueOf(arg);
            if (text.equals("each.key")) {
                resolved.put(name, key);
            } else if (text.startsWith("each.value.") && !text.contains("/")) {
                resolved.put(name, value.get(text.substring("each.value.".length())));
            } else if (arg instanceof String s && s.contains("each.value.")) {
                Matcher m = Pattern.compile("each\\.value\\.([a-z_]+)").matcher(s);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value.get(m.group(1)))));
                }
                m.appendTail(out);
                resolved.put(name, out.toString());
            } else {
                resolved.put(name, arg);
            }
        });
        resolved.remove("for_each");
        // merge(local.common_environment, each.value.environment): hcl4j cannot evaluate it; the module adds the rest.
        resolved.put("environment", new LinkedHashMap<>());
        return resolved;
    }

    private static String variable(String variablesTf, String name) {
        String block = variablesTf.substring(variablesTf.indexOf("variable \"" + name + "\""));
        return block.substring(0, block.indexOf("\n}\n"));
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
