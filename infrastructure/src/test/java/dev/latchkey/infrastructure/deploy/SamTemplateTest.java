package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.latchkey.infrastructure.deploy.ApiCatalog.FunctionSpec;
import dev.latchkey.core.http.Route;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/**
 * {@code template.yaml} against the SAM schema, {@link ApiCatalog} (functions and routes) and
 * {@link LatchkeyTable} (the table).
 */
class SamTemplateTest {

    static final String HANDLER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest";
    static final String RUNTIME = "java21";
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private static JsonSchema samSchema;
    private static Map<String, Object> template;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = SamTemplateTest.class.getResourceAsStream("/sam/sam.schema.json")) {
            assertThat(in).as("sam/sam.schema.json on the test classpath").isNotNull();
            samSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        template = TemplateYaml.load();
    }

    // ------------------------------------------------------------------ schema

    @Test
    void templateIsValidAgainstTheSamSchema() {
        Set<ValidationMessage> messages = validate(template);
        assertThat(messages)
                .as("SAM schema violations in template.yaml:%n%s", describe(messages))
                .isEmpty();
    }

    @Test
    void schemaCheckRejectsAnUnknownFunctionProperty() {
        Map<String, Object> broken = TemplateYaml.load();
        properties(resource(broken, "HealthFunction")).put("SnapStartx", Map.of("ApplyOn", "PublishedVersions"));

        Set<ValidationMessage> messages = validate(broken);

        assertThat(messages).as("the schema check must be able to fail").isNotEmpty();
        assertThat(describe(messages)).contains("SnapStartx");
    }

    private static Set<ValidationMessage> validate(Map<String, Object> doc) {
        JsonNode json = new ObjectMapper().valueToTree(doc);
        return samSchema.validate(json);
    }

    private static String describe(Set<ValidationMessage> messages) {
        return messages.stream().map(m -> "  " + m).collect(Collectors.joining(System.lineSeparator()));
    }

    // ------------------------------------------------------------------ functions

    /**
     * Issue #19 (2): SAM publishes a new version (and moves {@code live}) only when the hash of the code, the
     * <em>unresolved</em> Environment and {@code AutoPublishCodeSha256} changes. Each function's
     * {@code AutoPublishCodeSha256} is therefore a {@code !Sub} over every parameter the function reads (Environment,
     * Globals, policies, the name of a resource its Environment references), made a literal string by
     * {@code AWS::LanguageExtensions} before SAM hashes it. A parameter added to a function and forgotten here fails.
     */
    @Test
    void whenAParameterAFunctionReadsChangesThenItsAutoPublishCodeSha256ChangesAndLiveMoves() {
        Map<String, Object> template = TemplateYaml.load();
        assertThat(template.get("Transform")).as("LanguageExtensions resolves the !Sub before SAM")
                .isEqualTo(List.of("AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"));
        assertThat(resourcesOfType(template, "AWS::Serverless::Function")).hasSizeGreaterThanOrEqualTo(9);
        assertThat(autoPublishProblems(template)).isEmpty();
    }

    @Test
    void autoPublishCheckRejectsAFunctionThatReadsAParameterItsShaOmits() {
        Map<String, Object> broken = TemplateYaml.load();
        Map<String, Object> jwks = properties(resource(broken, "JwksFunction"));
        Map<String, Object> variables = new LinkedHashMap<>(variables(jwks));
        variables.put("LATCHKEY_NEW", Map.of("Ref", "LogRetentionDays"));
        jwks.put("Environment", Map.of("Variables", variables));
        Map<String, Object> health = properties(resource(broken, "HealthFunction"));
        health.put("AutoPublishCodeSha256", Map.of("Fn::Sub", "${IssuerUrl}|${LatchkeyTable}"));

        List<String> problems = autoPublishProblems(broken);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("JwksFunction").contains("LogRetentionDays"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("HealthFunction").contains("MailFrom"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("HealthFunction").contains("LatchkeyTable"));
    }

    /**
     * Issue #19 (2): with DomainName (and CertificateArn) the stack maps the API's {@code $default} stage to a
     * regional custom domain and the issuer is {@code https://<DomainName>}, a parameter known before any resource
     * exists: one deploy, no cycle. IssuerUrl stays optional and wins when given; a rule refuses neither.
     */
    @Test
    void whenADomainNameIsGivenThenTheApiIsMappedToItAndTheIssuerIsDerivedInOneDeploy() {
        Map<String, Object> template = TemplateYaml.load();
        Map<String, Object> parameters = map(template.get("Parameters"));
        for (String optional : List.of("IssuerUrl", "DomainName", "CertificateArn")) {
            assertThat(map(parameters.get(optional))).as(optional).containsEntry("Default", "");
        }
        Pattern issuer = Pattern.compile(String.valueOf(map(parameters.get("IssuerUrl")).get("AllowedPattern")));
        assertThat(List.of("", "https://id.example.com", "https://example.com/id"))
                .allSatisfy(ok -> assertThat(issuer.matcher(ok).matches()).as(ok).isTrue());
        assertThat(List.of("https://id.example.com/", "http://id.example.com", "https://id.example.com?x=1"))
                .allSatisfy(bad -> assertThat(issuer.matcher(bad).matches()).as(bad).isFalse());
        Pattern domain = Pattern.compile(String.valueOf(map(parameters.get("DomainName")).get("AllowedPattern")));
        assertThat(domain.matcher("id.example.com").matches()).isTrue();
        assertThat(domain.matcher("https://id.example.com").matches()).isFalse();

        Map<String, Object> conditions = map(template.get("Conditions"));
        assertThat(conditions.get("HasDomainName"))
                .isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "DomainName"), "")))));
        assertThat(conditions.get("HasIssuerUrl"))
                .isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "IssuerUrl"), "")))));
        Map<String, Object> rules = map(template.get("Rules"));
        assertThat(rules).containsKey("DomainNameNeedsCertificate").doesNotContainKey("IssuerUrlOrDomainName");

        Map<String, Object> domainName = resource(template, "LatchkeyDomainName");
        assertThat(domainName).containsEntry("Type", "AWS::ApiGatewayV2::DomainName")
                .containsEntry("Condition", "HasDomainName");
        assertThat(properties(domainName)).containsEntry("DomainName", Map.of("Fn::If", List.of("HasEdge",
                Map.of("Ref", "EdgeOriginDomainName"), Map.of("Ref", "DomainName"))));
        assertThat(list(properties(domainName).get("DomainNameConfigurations"))).containsExactly(Map.of(
                "CertificateArn", Map.of("Ref", "CertificateArn"), "EndpointType", "REGIONAL",
                "SecurityPolicy", "TLS_1_2"));
        Map<String, Object> mapping = resource(template, "LatchkeyApiMapping");
        assertThat(mapping).containsEntry("Type", "AWS::ApiGatewayV2::ApiMapping")
                .containsEntry("Condition", "HasDomainName");
        assertThat(properties(mapping)).containsEntry("ApiId", Map.of("Ref", "LatchkeyApi"))
                .containsEntry("DomainName", Map.of("Ref", "LatchkeyDomainName"))
                .containsEntry("Stage", Map.of("Ref", "LatchkeyApiStage"))
                .doesNotContainKey("ApiMappingKey");

        Object issuerVariable = variables(map(map(template.get("Globals")).get("Function"))).get("LATCHKEY_ISSUER");
        // IssuerUrl, else https://<DomainName>, else the API's own URL: one deploy in every case, no cycle.
        Object derived = Map.of("Fn::If", List.of("HasIssuerUrl", Map.of("Ref", "IssuerUrl"),
                Map.of("Fn::If", List.of("HasDomainName", Map.of("Fn::Sub", "https://${DomainName}"),
                        Map.of("Fn::Sub", "https://${LatchkeyApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}")))));
        assertThat(issuerVariable).isEqualTo(derived);
        assertThat(map(map(template.get("Outputs")).get("IssuerUrl")).get("Value")).isEqualTo(derived);
        // Nothing of the API references a function (so a function may reference the API): only the integrations and
        // permissions reference the functions' aliases.
        for (String api : List.of("LatchkeyApi", "LatchkeyApiStage", "LatchkeyDomainName", "LatchkeyApiMapping")) {
            Set<String> refs = references(resource(template, api));
            assertThat(refs).as(api).noneMatch(r -> r.endsWith("Function") || r.contains("Function."));
        }
    }

    static List<String> autoPublishProblems(Map<String, Object> doc) {
        Set<String> parameters = map(doc.get("Parameters")).keySet();
        Map<String, Object> resources = map(doc.get("Resources"));
        Map<String, Object> globals = map(map(doc.get("Globals")).get("Function"));
        List<String> problems = new ArrayList<>();
        resourcesOfType(doc, "AWS::Serverless::Function").forEach((name, function) -> {
            Map<String, Object> props = new LinkedHashMap<>(globals);
            props.putAll(properties(function));
            Map<String, Object> environment = new LinkedHashMap<>(variables(globals));
            environment.putAll(variables(properties(function)));
            props.put("Environment", Map.of("Variables", environment));
            Object sha = props.remove("AutoPublishCodeSha256");
            props.remove("Events");

            Set<String> read = new TreeSet<>();
            references(props).stream().filter(parameters::contains).forEach(read::add);
            // A resource's physical name (what Ref returns) reaches the function through its Environment.
            for (String ref : references(environment)) {
                if (resources.containsKey(ref)) {
                    properties(map(resources.get(ref))).forEach((key, value) -> {
                        if (key.endsWith("Name")) {
                            references(value).stream().filter(parameters::contains).forEach(read::add);
                        }
                    });
                }
            }
            if (!(sha instanceof Map<?, ?> m && m.size() == 1 && m.get("Fn::Sub") instanceof String)) {
                problems.add(name + ": AutoPublishCodeSha256 is not a one-string !Sub: " + sha);
                return;
            }
            Set<String> hashed = references(sha);
            for (String ref : hashed) {
                if (!parameters.contains(ref)) {
                    problems.add(name + ": AutoPublishCodeSha256 references " + ref
                            + ", not a parameter (unknown when the transform runs)");
                }
            }
            for (String parameter : read) {
                if (!hashed.contains(parameter)) {
                    problems.add(name + ": reads parameter " + parameter + " but AutoPublishCodeSha256 omits it");
                }
            }
        });
        return problems;
    }

    /** Logical ids and parameter names an intrinsic-bearing value references (Ref, GetAtt, ${X} and ${X.Y} in Sub). */
    static Set<String> references(Object value) {
        Set<String> found = new TreeSet<>();
        collectReferences(value, found);
        return found;
    }

    private static void collectReferences(Object value, Set<String> found) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((key, v) -> {
                if ("Ref".equals(key) && v instanceof String s) {
                    found.add(s);
                } else if ("Fn::GetAtt".equals(key) && v instanceof List<?> l && !l.isEmpty()) {
                    found.add(String.valueOf(l.get(0)));
                } else if ("Fn::Sub".equals(key)) {
                    Object text = v instanceof List<?> l && !l.isEmpty() ? l.get(0) : v;
                    Matcher matcher = SUB_VARIABLE.matcher(String.valueOf(text));
                    while (matcher.find()) {
                        if (!matcher.group(1).startsWith("AWS::")) {
                            found.add(matcher.group(1).split("\\.")[0]);
                        }
                    }
                    if (v instanceof List<?> l && l.size() > 1) {
                        collectReferences(l.get(1), found);
                    }
                } else {
                    collectReferences(v, found);
                }
            });
        } else if (value instanceof List<?> l) {
            l.forEach(item -> collectReferences(item, found));
        }
    }


    @Test
    void everyCatalogFunctionIsASnapStartJavaFunctionWithItsMainClassAndDefinition() {
        List<FunctionSpec> specs = ApiCatalog.functions();
        assertThat(specs).isNotEmpty();
        Map<String, Object> globals = map(map(template.get("Globals")).get("Function"));

        for (FunctionSpec spec : specs) {
            Map<String, Object> resource = resource(template, spec.logicalId());
            String where = spec.logicalId() + " (" + spec.name() + ")";
            assertThat(resource.get("Type")).as(where + " Type").isEqualTo("AWS::Serverless::Function");
            Map<String, Object> props = properties(resource);

            assertThat(ownOrGlobal(props, globals, "Runtime")).as(where + " Runtime").isEqualTo(RUNTIME);
            assertThat(ownOrGlobal(props, globals, "Handler")).as(where + " Handler").isEqualTo(HANDLER);
            assertThat(props.get("CodeUri")).as(where + " CodeUri")
                    .isEqualTo("functions/" + spec.module() + "/target/latchkey-" + spec.module() + "-lambda.zip");

            Map<String, Object> snapStart = map(ownOrGlobal(props, globals, "SnapStart"));
            assertThat(snapStart.get("ApplyOn")).as(where + " SnapStart.ApplyOn").isEqualTo("PublishedVersions");

            Map<String, Object> environment = new LinkedHashMap<>(variables(globals));
            environment.putAll(variables(props));
            assertThat(environment).as(where + " Environment.Variables")
                    .containsEntry("MAIN_CLASS", spec.mainClass())
                    .containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", spec.name());
        }
    }

    @Test
    void templateHasNoFunctionTheCatalogDoesNotKnow() {
        Set<String> declared = resourcesOfType(template, "AWS::Serverless::Function").keySet();
        assertThat(declared).isNotEmpty();
        assertThat(declared).containsExactlyInAnyOrderElementsOf(
                ApiCatalog.functions().stream().map(FunctionSpec::logicalId).toList());
    }

    // ------------------------------------------------------------------ routes

    /**
     * Every declared route exactly once (issue #13 "Routes declared once"): the routes are explicit
     * {@code AWS::ApiGatewayV2::Route} resources, written as one {@code Fn::ForEach} list per function.
     */
    @Test
    void everyCatalogRouteIsInTemplateOnceAndNothingElse() {
        List<String> keys = new ArrayList<>(httpApiRoutes(template).stream().map(TemplateRoute::key).toList());
        assertThat(keys).isNotEmpty();
        assertThat(keys).as("route keys declared twice").doesNotHaveDuplicates();
        assertThat(Set.copyOf(keys)).isEqualTo(ApiCatalog.routeKeys());
        assertThat(resourcesOfType(template, "AWS::Serverless::Function").values())
                .allSatisfy(f -> assertThat(map(properties(f).get("Events")).values())
                        .noneSatisfy(e -> assertThat(map(e).get("Type")).isEqualTo("HttpApi")));
        Map<String, Object> asWritten = map(TemplateYaml.loadAsWritten().get("Resources"));
        assertThat(asWritten.keySet().stream().filter(k -> k.startsWith("Fn::ForEach::")).count())
                .as("one route loop per HTTP function")
                .isEqualTo(ApiCatalog.functions().stream().filter(FunctionSpec::isHttp).count());
    }

    @Test
    void everyRouteGoesToTheFunctionTheCatalogNames() {
        Map<String, String> expected = new TreeMap<>();
        for (FunctionSpec spec : ApiCatalog.functions()) {
            for (Route route : spec.routes()) {
                expected.put(route.key(), spec.logicalId());
            }
        }
        expected.put(ApiCatalog.DEFAULT_ROUTE_KEY, ApiCatalog.defaultRouteFunction().logicalId());

        Map<String, String> actual = new TreeMap<>();
        httpApiRoutes(template).forEach(r -> actual.put(r.key(), r.function()));

        assertThat(actual).isNotEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void everyRouteBelongsToTheTemplatesHttpApi() {
        Set<String> apis = resourcesOfType(template, "AWS::ApiGatewayV2::Api").keySet();
        assertThat(apis).hasSize(1);
        assertThat(resourcesOfType(template, "AWS::Serverless::HttpApi")).isEmpty();
        List<TemplateRoute> routes = httpApiRoutes(template);
        assertThat(routes).isNotEmpty();
        for (TemplateRoute route : routes) {
            assertThat(route.apiId()).as(route.function() + " " + route.key() + " ApiId")
                    .isEqualTo(Map.of("Ref", apis.iterator().next()));
        }
        Map<String, Object> stage = properties(resource(template, "LatchkeyApiStage"));
        assertThat(stage).containsEntry("StageName", "$default").containsEntry("AutoDeploy", true)
                .containsEntry("ApiId", Map.of("Ref", "LatchkeyApi"));
        assertThat(map(stage.get("DefaultRouteSettings"))).containsEntry("ThrottlingBurstLimit", 200)
                .containsEntry("ThrottlingRateLimit", 100);
    }

    /**
     * Issue #19 (8): one invoke permission per function, on its live alias, with a source ARN pattern over the whole
     * API, never one per route (SAM's HttpApi events made 37 for orgs, near Lambda's 20 KB resource-policy limit);
     * one integration per function, to its live alias, shared by its routes.
     */
    @Test
    void whenAFunctionServesManyRoutesThenItHasOneInvokePermissionWithASourceArnPattern() {
        Map<String, Map<String, Object>> permissions = resourcesOfType(template, "AWS::Lambda::Permission");
        Map<String, Map<String, Object>> integrations = resourcesOfType(template, "AWS::ApiGatewayV2::Integration");
        List<FunctionSpec> http = ApiCatalog.functions().stream().filter(FunctionSpec::isHttp).toList();
        assertThat(permissions).hasSize(http.size());
        assertThat(integrations).hasSize(http.size());
        for (FunctionSpec spec : http) {
            Object alias = Map.of("Ref", spec.logicalId() + ".Alias");
            List<Map<String, Object>> own = permissions.values().stream().map(SamTemplateTest::properties)
                    .filter(p -> alias.equals(p.get("FunctionName"))).toList();
            assertThat(own).as(spec.logicalId()).singleElement().satisfies(p -> assertThat(p)
                    .containsEntry("Action", "lambda:InvokeFunction")
                    .containsEntry("Principal", "apigateway.amazonaws.com")
                    .containsEntry("SourceArn", Map.of("Fn::Sub",
                            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${LatchkeyApi}/*")));
            assertThat(integrations.values().stream().map(SamTemplateTest::properties)
                    .filter(p -> alias.equals(p.get("IntegrationUri"))).toList()).as(spec.logicalId())
                    .singleElement().satisfies(p -> assertThat(p).containsEntry("IntegrationType", "AWS_PROXY")
                            .containsEntry("PayloadFormatVersion", "2.0")
                            .containsEntry("ApiId", Map.of("Ref", "LatchkeyApi")));
        }
    }

    /** An explicit AWS::ApiGatewayV2::Route, with the function its integration invokes. */
    record TemplateRoute(String function, String logicalId, String key, Object apiId) {
    }

    static List<TemplateRoute> httpApiRoutes(Map<String, Object> doc) {
        List<TemplateRoute> routes = new ArrayList<>();
        Pattern integration = Pattern.compile("integrations/\\$\\{([A-Za-z0-9]+)}");
        resourcesOfType(doc, "AWS::ApiGatewayV2::Route").forEach((logicalId, resource) -> {
            Map<String, Object> props = properties(resource);
            Matcher target = integration.matcher(String.valueOf(map(props.get("Target")).get("Fn::Sub")));
            assertThat(target.matches()).as(logicalId + " Target " + props.get("Target")).isTrue();
            Object uri = properties(resource(doc, target.group(1))).get("IntegrationUri");
            String alias = String.valueOf(map(uri).get("Ref"));
            assertThat(alias).as(logicalId + " integration").endsWith(".Alias");
            assertThat(props.get("RouteKey")).as(logicalId + " RouteKey").isInstanceOf(String.class);
            routes.add(new TemplateRoute(alias.substring(0, alias.indexOf('.')), logicalId,
                    (String) props.get("RouteKey"), props.get("ApiId")));
        });
        return routes;
    }

    // ------------------------------------------------------------------ table

    @Test
    void tableMatchesLatchkeyTable() {
        Map<String, Map<String, Object>> tables = resourcesOfType(template, "AWS::DynamoDB::Table");
        assertThat(tables).hasSize(1);
        Map<String, Object> table = properties(tables.values().iterator().next());
        CreateTableRequest expected = LatchkeyTable.createTableRequest("latchkey");

        assertThat(table.get("KeySchema")).as("KeySchema").isEqualTo(keySchema(expected.keySchema()));

        List<Map<String, Object>> attributes = list(table.get("AttributeDefinitions"));
        assertThat(attributes).as("AttributeDefinitions").isNotEmpty();
        assertThat(attributes.stream().map(a -> a.get("AttributeName")).toList())
                .containsExactlyInAnyOrderElementsOf(LatchkeyTable.keyAttributes());
        assertThat(attributes).allSatisfy(a -> assertThat(a.get("AttributeType")).isEqualTo("S"));
        assertThat(attributes).isEqualTo(expected.attributeDefinitions().stream()
                .map(a -> Map.of("AttributeName", a.attributeName(), "AttributeType", a.attributeTypeAsString()))
                .toList());

        List<Map<String, Object>> indexes = list(table.get("GlobalSecondaryIndexes"));
        assertThat(indexes).hasSize(expected.globalSecondaryIndexes().size()).hasSize(1);
        Map<String, Object> gsi = indexes.get(0);
        assertThat(gsi.get("IndexName")).isEqualTo(LatchkeyTable.GSI1);
        assertThat(gsi.get("KeySchema")).isEqualTo(keySchema(expected.globalSecondaryIndexes().get(0).keySchema()));
        assertThat(gsi.get("KeySchema")).isEqualTo(List.of(
                Map.of("AttributeName", LatchkeyTable.GSI1_PK, "KeyType", "HASH"),
                Map.of("AttributeName", LatchkeyTable.GSI1_SK, "KeyType", "RANGE")));
        assertThat(map(gsi.get("Projection"))).isEqualTo(Map.of("ProjectionType", "ALL"));

        assertThat(map(table.get("TimeToLiveSpecification")))
                .isEqualTo(Map.of("AttributeName", LatchkeyTable.TTL_ATTRIBUTE, "Enabled", true));
        assertThat(table.get("BillingMode")).isEqualTo(expected.billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
        assertThat(map(table.get("PointInTimeRecoverySpecification")))
                .containsEntry("PointInTimeRecoveryEnabled", true);
        assertThat(table.get("DeletionProtectionEnabled")).isEqualTo(Map.of("Ref", "TableDeletionProtection"));

        Map<String, Object> sse = map(table.get("SSESpecification"));
        assertThat(sse).containsEntry("SSEEnabled", true).containsEntry("SSEType", "KMS");
        String keyId = referencedResource(sse.get("KMSMasterKeyId"));
        assertThat(resource(template, keyId).get("Type")).as("KMSMasterKeyId -> " + keyId).isEqualTo("AWS::KMS::Key");
    }

    /**
     * Issue #19 (9): the instruction set and X-Ray tracing are parameters (arm64 supports SnapStart and costs less),
     * the Argon2id functions get one full vCPU (1,769 MB), the read-only health and jwks less than the default.
     */
    @Test
    void whenDeployedThenArchitectureAndTracingAreParametersAndMemoryFollowsTheWork() {
        Map<String, Object> template = TemplateYaml.load();
        Map<String, Object> parameters = map(template.get("Parameters"));
        assertThat(map(parameters.get("Architecture"))).containsEntry("Default", "x86_64")
                .containsEntry("AllowedValues", List.of("x86_64", "arm64"));
        assertThat(map(parameters.get("Tracing"))).containsEntry("Default", "PassThrough")
                .containsEntry("AllowedValues", List.of("PassThrough", "Active"));
        Map<String, Object> globals = map(map(template.get("Globals")).get("Function"));
        assertThat(globals.get("Architectures")).isEqualTo(List.of(Map.of("Ref", "Architecture")));
        assertThat(globals.get("Tracing")).isEqualTo(Map.of("Ref", "Tracing"));
        assertThat(globals.get("MemorySize")).isEqualTo(1024);
        for (String argon2 : List.of("RegisterFunction", "LoginFunction")) {
            assertThat(properties(resource(template, argon2)).get("MemorySize")).as(argon2).isEqualTo(1769);
        }
        for (String light : List.of("HealthFunction", "JwksFunction")) {
            assertThat(properties(resource(template, light)).get("MemorySize")).as(light).isEqualTo(512);
        }
    }

    /** Issue #19 (9): a failed scheduled (asynchronous) rotation lands in a queue after two retries and alarms. */
    @Test
    void whenAScheduledRotationFailsThenItGoesToAFailureQueueThatRaisesAnAlarmWithAnAction() {
        Map<String, Object> template = TemplateYaml.load();
        Map<String, Object> invoke = map(properties(resource(template, "RotateKeysFunction")).get("EventInvokeConfig"));
        assertThat(invoke).containsEntry("MaximumRetryAttempts", 2);
        assertThat(map(map(invoke.get("DestinationConfig")).get("OnFailure"))).containsEntry("Type", "SQS")
                .containsEntry("Destination", Map.of("Fn::GetAtt", List.of("RotateKeysFailures", "Arn")));
        assertThat(resource(template, "RotateKeysFailures").get("Type")).isEqualTo("AWS::SQS::Queue");
        Map<String, Object> alarm = properties(resource(template, "RotateKeysFailureAlarm"));
        assertThat(alarm).containsEntry("Namespace", "AWS/SQS")
                .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
                .containsEntry("ComparisonOperator", "GreaterThanThreshold").containsEntry("Threshold", 0);
        assertThat(alarm.get("Dimensions")).isEqualTo(List.of(Map.of("Name", "QueueName",
                "Value", Map.of("Fn::GetAtt", List.of("RotateKeysFailures", "QueueName")))));
        // The alarm's action: AlarmTopicArn, else a topic for AlarmEmail (with its subscription), else none.
        Object actions = Map.of("Fn::If", List.of("HasAlarmTopicArn", List.of(Map.of("Ref", "AlarmTopicArn")),
                Map.of("Fn::If", List.of("CreateAlarmTopic", List.of(Map.of("Ref", "AlarmTopic")),
                        Map.of("Ref", "AWS::NoValue")))));
        assertThat(alarm).containsEntry("AlarmActions", actions).containsEntry("OKActions", actions);
        assertThat(resource(template, "AlarmTopic")).containsEntry("Type", "AWS::SNS::Topic")
                .containsEntry("Condition", "CreateAlarmTopic");
        Map<String, Object> subscription = resource(template, "AlarmEmailSubscription");
        assertThat(subscription).containsEntry("Condition", "CreateAlarmTopic");
        assertThat(properties(subscription)).containsEntry("Protocol", "email")
                .containsEntry("Endpoint", Map.of("Ref", "AlarmEmail"))
                .containsEntry("TopicArn", Map.of("Ref", "AlarmTopic"));
        Map<String, Object> parameters = map(template.get("Parameters"));
        assertThat(map(parameters.get("AlarmEmail"))).containsEntry("Default", "");
        assertThat(map(parameters.get("AlarmTopicArn"))).containsEntry("Default", "");
    }

    /**
     * Issue #19 (5): a log group named after the function is created after it, racing the SnapStart version's first
     * init (Lambda creates {@code /aws/lambda/<function>} itself: "already exists"). Each function's group is named
     * from the stack, references no function, and the function points {@code LoggingConfig.LogGroup} at it.
     */
    @Test
    void whenAFunctionIsCreatedThenItsLogGroupAlreadyExistsAndReceivesItsLogs() {
        Map<String, Object> template = TemplateYaml.load();
        var functions = resourcesOfType(template, "AWS::Serverless::Function");
        assertThat(functions).hasSizeGreaterThanOrEqualTo(9);
        functions.forEach((name, function) -> {
            Object logGroup = map(properties(function).get("LoggingConfig")).get("LogGroup");
            assertThat(logGroup).as(name).isEqualTo(Map.of("Ref", name + "Logs"));
            Map<String, Object> group = resource(template, name + "Logs");
            assertThat(group.get("Type")).as(name).isEqualTo("AWS::Logs::LogGroup");
            Map<String, Object> groupProperties = properties(group);
            assertThat(groupProperties.get("RetentionInDays")).as(name).isEqualTo(Map.of("Ref", "LogRetentionDays"));
            String groupName = String.valueOf(map(groupProperties.get("LogGroupName")).get("Fn::Sub"));
            assertThat(groupName).as(name).startsWith("/aws/lambda/${AWS::StackName}-");
            functions.keySet().forEach(other -> assertThat(groupName).as(name).doesNotContain(other));
            assertThat(group).as(name + ": created before the function").doesNotContainKey("DependsOn");
        });
    }

    /**
     * Issue #19 (3): a rolled-back first create must leave nothing behind, or every retry fails on "already
     * exists"; every later operation keeps the table and the key. {@code RetainExceptOnCreate} does both, and the
     * table's deletion protection (which CloudFormation cannot override) is off until the operator turns it on.
     */
    @Test
    void whenTheFirstCreateRollsBackThenTheTableAndKeyAreDeletedAndOtherwiseRetained() {
        Map<String, Object> template = TemplateYaml.load();
        for (String stateful : List.of("LatchkeyTable", "LatchkeyKey")) {
            Map<String, Object> resource = resource(template, stateful);
            assertThat(resource.get("DeletionPolicy")).as(stateful).isEqualTo("RetainExceptOnCreate");
            assertThat(resource.get("UpdateReplacePolicy")).as(stateful).isEqualTo("Retain");
        }
        Map<String, Object> protection = map(map(template.get("Parameters")).get("TableDeletionProtection"));
        assertThat(protection).containsEntry("Default", "false")
                .containsEntry("AllowedValues", List.of("true", "false"));
    }

    @Test
    void kmsKeyRotates() {
        Map<String, Map<String, Object>> keys = resourcesOfType(template, "AWS::KMS::Key");
        assertThat(keys).isNotEmpty();
        keys.forEach((id, key) -> assertThat(properties(key).get("EnableKeyRotation")).as(id).isEqualTo(true));
    }

    private static List<Map<String, Object>> keySchema(List<KeySchemaElement> elements) {
        return elements.stream()
                .map(k -> Map.<String, Object>of("AttributeName", k.attributeName(), "KeyType", k.keyTypeAsString()))
                .toList();
    }

    /** The logical id behind {"Ref": id} or {"Fn::GetAtt": [id, attr]}. */
    private static String referencedResource(Object value) {
        Map<String, Object> intrinsic = map(value);
        if (intrinsic.get("Ref") instanceof String ref) {
            return ref;
        }
        List<?> getAtt = (List<?>) intrinsic.get("Fn::GetAtt");
        assertThat(getAtt).as("Ref or Fn::GetAtt expected: " + value).isNotNull().hasSize(2);
        return (String) getAtt.get(0);
    }

    // ------------------------------------------------------------------ IAM

    @Test
    void functionPoliciesGrantNoWildcards() {
        List<Map<String, Object>> statements = functionPolicyStatements(template);
        assertThat(statements).isNotEmpty();
        assertThat(wildcardProblems(statements)).isEmpty();
    }

    @Test
    void wildcardCheckRejectsAServiceWideAction() {
        Map<String, Object> broken = TemplateYaml.load();
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put("Action", List.of("dynamodb:GetItem", "dynamodb:*"));
        statement.put("Resource", "*");
        properties(resource(broken, "HealthFunction"))
                .put("Policies", List.of(Map.of("Version", "2012-10-17", "Statement", List.of(statement))));

        assertThat(wildcardProblems(functionPolicyStatements(broken))).hasSize(2);
    }

    static List<Map<String, Object>> functionPolicyStatements(Map<String, Object> doc) {
        List<Map<String, Object>> statements = new ArrayList<>();
        resourcesOfType(doc, "AWS::Serverless::Function").forEach((id, resource) -> {
            Object policies = properties(resource).get("Policies");
            List<?> entries = policies instanceof List<?> l ? l : policies == null ? List.of() : List.of(policies);
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> policy && policy.containsKey("Statement")) {
                    Object s = policy.get("Statement");
                    for (Object one : s instanceof List<?> l ? l : List.of(s)) {
                        Map<String, Object> statement = new LinkedHashMap<>(map(one));
                        statement.put("_function", id);
                        statements.add(statement);
                    }
                }
            }
        });
        return statements;
    }

    static List<String> wildcardProblems(List<Map<String, Object>> statements) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> s : statements) {
            String where = s.get("_function") + " " + s;
            for (Object action : asList(s.get("Action"))) {
                if ("*".equals(action) || action instanceof String a && a.endsWith(":*")) {
                    problems.add("Action " + action + " in " + where);
                }
            }
            for (Object resource : asList(s.get("Resource"))) {
                if ("*".equals(resource)) {
                    problems.add("Resource * in " + where);
                }
            }
            if (s.containsKey("NotAction") || s.containsKey("NotResource")) {
                problems.add("NotAction/NotResource in " + where);
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------ helpers

    static Map<String, Map<String, Object>> resourcesOfType(Map<String, Object> doc, String type) {
        Map<String, Map<String, Object>> found = new TreeMap<>();
        map(doc.get("Resources")).forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                found.put(id, map(r));
            }
        });
        return found;
    }

    static Map<String, Object> resource(Map<String, Object> doc, String logicalId) {
        Object r = map(doc.get("Resources")).get(logicalId);
        assertThat(r).as("resource " + logicalId).isNotNull();
        return map(r);
    }

    static Map<String, Object> properties(Map<String, Object> resource) {
        return map(resource.get("Properties"));
    }

    private static Object ownOrGlobal(Map<String, Object> props, Map<String, Object> globals, String key) {
        return props.containsKey(key) ? props.get(key) : globals.get(key);
    }

    private static Map<String, Object> variables(Map<String, Object> functionProps) {
        return map(map(functionProps.get("Environment")).get("Variables"));
    }

    private static List<?> asList(Object value) {
        return value instanceof List<?> l ? l : value == null ? List.of() : List.of(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value == null) {
            return new LinkedHashMap<>();
        }
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }
}
