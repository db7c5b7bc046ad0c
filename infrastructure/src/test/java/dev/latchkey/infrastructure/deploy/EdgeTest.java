package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue #19 item 11, the optional edge: HTTP APIs take no WAF, so CloudFront with an AWS WAF web ACL (a rate-based rule
 * on the sign-in and token routes, AWS managed common rules) serves the custom domain, forwards every request uncached
 * (CachingDisabled; AllViewerExceptHostHeader forwards Authorization, cookies and query strings), and the default
 * execute-api endpoint is disabled. Off by default; the web ACL lives in us-east-1 (CloudFront scope): a separate stack
 * {@code edge-waf.yaml} for SAM, a provider alias in Terraform.
 */
class EdgeTest {

    /** The sign-in and token paths both web ACLs rate-limit, in this order. */
    private static final List<String> SIGN_IN_PATHS = List.of("/v1/auth/register", "/v1/auth/login/password",
            "/v1/auth/login/mfa",
            "/v1/auth/password/forgot", "/v1/auth/password/reset", "/v1/auth/passkeys/login/options",
            "/v1/auth/passkeys/login/verify", "/oauth/token");
    private static final String CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
    private static final String ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

    @Test
    void whenARouteIsRateLimitedAtTheEdgeThenItIsADeclaredUnauthenticatedPostRoute() {
        for (String path : SIGN_IN_PATHS) {
            assertThat(ApiCatalog.match("POST", path)).as(path).hasValueSatisfying(m ->
                    assertThat(m.route().key()).isEqualTo("POST " + path));
        }
        assertThat(ApiCatalog.routeKeys()).contains("POST /oauth/token", "POST /v1/auth/login/password");
        assertThat(SIGN_IN_PATHS.stream().map(p -> Route.parse("POST " + p).key()).toList()).doesNotHaveDuplicates();
    }

    @Test
    void whenTheEdgeIsOnThenSamPutsCloudFrontWithTheWebAclInFrontAndDisablesExecuteApi() {
        Map<String, Object> template = TemplateYaml.load();
        Map<String, Object> parameters = SamTemplateTest.map(template.get("Parameters"));
        assertThat(SamTemplateTest.map(parameters.get("Edge"))).containsEntry("Default", "false");
        for (String optional : List.of("EdgeOriginDomainName", "EdgeCertificateArn", "EdgeWebAclArn")) {
            assertThat(SamTemplateTest.map(parameters.get(optional))).as(optional).containsEntry("Default", "");
        }
        assertThat(String.valueOf(SamTemplateTest.map(parameters.get("EdgeCertificateArn")).get("AllowedPattern")))
                .contains(":acm:us-east-1:");
        assertThat(String.valueOf(SamTemplateTest.map(parameters.get("EdgeWebAclArn")).get("AllowedPattern")))
                .contains(":wafv2:us-east-1:").contains(":global/webacl/");
        assertThat(SamTemplateTest.map(template.get("Conditions")).get("HasEdge"))
                .isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "Edge"), "true")));
        assertThat(SamTemplateTest.map(template.get("Rules"))).containsKey("EdgeNeedsItsDomainsCertificatesAndWebAcl");

        assertThat(SamTemplateTest.properties(SamTemplateTest.resource(template, "LatchkeyApi")))
                .containsEntry("DisableExecuteApiEndpoint", Map.of("Fn::If", List.of("HasEdge", true, false)));

        Map<String, Object> distribution = SamTemplateTest.resource(template, "EdgeDistribution");
        assertThat(distribution).containsEntry("Type", "AWS::CloudFront::Distribution")
                .containsEntry("Condition", "HasEdge");
        Map<String, Object> config = SamTemplateTest.map(SamTemplateTest.properties(distribution)
                .get("DistributionConfig"));
        assertThat(config).containsEntry("Aliases", List.of(Map.of("Ref", "DomainName")))
                .containsEntry("WebACLId", Map.of("Ref", "EdgeWebAclArn"));
        assertThat(SamTemplateTest.list(config.get("Origins"))).singleElement().satisfies(origin -> {
            assertThat(origin).containsEntry("DomainName", Map.of("Ref", "EdgeOriginDomainName"));
            assertThat(SamTemplateTest.map(origin.get("CustomOriginConfig")))
                    .containsEntry("OriginProtocolPolicy", "https-only");
        });
        assertThat(SamTemplateTest.map(config.get("DefaultCacheBehavior")))
                .containsEntry("CachePolicyId", CACHING_DISABLED)
                .containsEntry("OriginRequestPolicyId", ALL_VIEWER_EXCEPT_HOST_HEADER)
                .containsEntry("ViewerProtocolPolicy", "https-only")
                .containsEntry("AllowedMethods", List.of("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"));
        assertThat(SamTemplateTest.map(config.get("ViewerCertificate")))
                .containsEntry("AcmCertificateArn", Map.of("Ref", "EdgeCertificateArn"))
                .containsEntry("SslSupportMethod", "sni-only");
        // Every edge resource is conditional: without Edge=true the stack has none.
        SamTemplateTest.resourcesOfType(template, "AWS::CloudFront::Distribution").forEach((name, r) ->
                assertThat(r).as(name).containsEntry("Condition", "HasEdge"));
        assertThat(SamTemplateTest.resourcesOfType(template, "AWS::WAFv2::WebACL")).as("us-east-1 only: edge-waf.yaml")
                .isEmpty();
    }

    @Test
    void whenTheEdgeWebAclIsDeployedThenItRateLimitsSignInPerIpAndRunsTheCommonRules() {
        Map<String, Object> waf = TemplateYaml.load(TemplateYaml.repoRoot().resolve("edge-waf.yaml"));
        Map<String, Object> acl = SamTemplateTest.properties(SamTemplateTest.resource(waf, "EdgeWebAcl"));
        assertThat(acl).containsEntry("Scope", "CLOUDFRONT");
        List<Map<String, Object>> rules = SamTemplateTest.list(acl.get("Rules"));
        assertThat(rules).hasSize(2);
        Map<String, Object> rate = SamTemplateTest.map(SamTemplateTest.map(rules.get(0).get("Statement"))
                .get("RateBasedStatement"));
        assertThat(rules.get(0).get("Action")).isEqualTo(Map.of("Block", Map.of()));
        assertThat(rate).containsEntry("AggregateKeyType", "IP").containsEntry("EvaluationWindowSec", 300)
                .containsEntry("Limit", Map.of("Ref", "SignInRateLimit"));
        List<Object> paths = new ArrayList<>();
        SamTemplateTest.list(SamTemplateTest.map(SamTemplateTest.map(rate.get("ScopeDownStatement"))
                .get("OrStatement")).get("Statements")).forEach(st -> {
                    Map<String, Object> match = SamTemplateTest.map(st.get("ByteMatchStatement"));
                    assertThat(match).containsEntry("PositionalConstraint", "EXACTLY")
                            .containsEntry("FieldToMatch", Map.of("UriPath", Map.of()));
                    paths.add(match.get("SearchString"));
                });
        assertThat(paths).isEqualTo(new ArrayList<Object>(SIGN_IN_PATHS));
        assertThat(SamTemplateTest.map(SamTemplateTest.map(rules.get(1).get("Statement"))
                .get("ManagedRuleGroupStatement"))).containsEntry("VendorName", "AWS")
                .containsEntry("Name", "AWSManagedRulesCommonRuleSet");
        assertThat(SamTemplateTest.map(SamTemplateTest.map(waf.get("Outputs")).get("WebAclArn")).get("Value"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of("EdgeWebAcl", "Arn")));
    }

    @Test
    void whenTheEdgeIsEnabledThenTerraformBuildsTheSameEdgeWithTheWebAclInUsEast1() throws IOException {
        Path terraform = TemplateYaml.repoRoot().resolve("terraform");
        String edge = Files.readString(terraform.resolve("edge.tf"));
        String main = Files.readString(terraform.resolve("main.tf"));
        String versions = Files.readString(terraform.resolve("versions.tf"));
        assertThat(versions).contains("alias  = \"us_east_1\"\n  region = \"us-east-1\"");
        assertThat(main).contains("disable_execute_api_endpoint = var.edge_enabled");
        assertThat(edge).contains("resource \"aws_wafv2_web_acl\" \"edge\" {\n  count    = var.edge_enabled ? 1 : 0\n"
                        + "  provider = aws.us_east_1\n")
                .contains("scope       = \"CLOUDFRONT\"")
                .contains("resource \"aws_cloudfront_distribution\" \"edge\" {\n  count = var.edge_enabled ? 1 : 0\n")
                .contains("web_acl_id      = aws_wafv2_web_acl.edge[0].arn")
                .contains("aliases         = [var.domain_name]")
                .contains("domain_name = var.edge_origin_domain_name")
                .contains("aggregate_key_type    = \"IP\"")
                .contains("positional_constraint = \"EXACTLY\"")
                .contains("name        = \"AWSManagedRulesCommonRuleSet\"")
                .contains("cache_policy_id          = local.cache_policy_caching_disabled")
                .contains("origin_request_policy_id = local.origin_request_policy_all_viewer_except_host_header")
                .contains("\"" + CACHING_DISABLED + "\"").contains("\"" + ALL_VIEWER_EXCEPT_HOST_HEADER + "\"")
                .contains("viewer_protocol_policy   = \"https-only\"");
        Matcher list = Pattern.compile("edge_sign_in_paths = \\[\\n((?:\\s+\"[^\"]+\",\\n)+)\\s+]").matcher(edge);
        assertThat(list.find()).isTrue();
        assertThat(Pattern.compile("\"([^\"]+)\"").matcher(list.group(1)).results().map(r -> r.group(1)).toList())
                .isEqualTo(SIGN_IN_PATHS);
        // Every resource of edge.tf is counted by the plain boolean: nothing exists while the edge is off.
        Matcher resource = Pattern.compile("resource \"([a-z0-9_]+)\" \"([a-z0-9_]+)\" \\{\\n  count\\s+= (.+)\\n")
                .matcher(edge);
        int resources = 0;
        while (resource.find()) {
            assertThat(resource.group(3)).as(resource.group(1)).isEqualTo("var.edge_enabled ? 1 : 0");
            resources++;
        }
        assertThat(resources).isEqualTo(edge.split("\nresource \"", -1).length - 1).isEqualTo(2);
        Map<String, Object> variables = SamTemplateTest.map(TerraformTest.parseModule(terraform, Map.of())
                .get("variable"));
        assertThat(SamTemplateTest.map(variables.get("edge_enabled"))).containsEntry("default", false);
    }

    @Test
    void whenTheEdgeIsOnThenSamSendsTheOriginSecretHeaderAndTheFunctionsRequireItOnlyThen() {
        Map<String, Object> template = TemplateYaml.load();
        Map<String, Object> parameter = SamTemplateTest.map(SamTemplateTest.map(template.get("Parameters"))
                .get("EdgeOriginSecret"));
        assertThat(parameter).containsEntry("NoEcho", true).containsEntry("Default", "");
        assertThat(String.valueOf(parameter.get("AllowedPattern"))).isEqualTo("([!-~]{32,})?");
        assertThat(String.valueOf(SamTemplateTest.map(template.get("Rules"))
                .get("EdgeNeedsItsDomainsCertificatesAndWebAcl")))
                .contains("{Ref=EdgeOriginSecret}");

        Map<String, Object> config = SamTemplateTest.map(SamTemplateTest.properties(SamTemplateTest.resource(template,
                "EdgeDistribution")).get("DistributionConfig"));
        assertThat(SamTemplateTest.list(config.get("Origins"))).singleElement().satisfies(origin ->
                assertThat(origin.get("OriginCustomHeaders")).isEqualTo(List.of(Map.of(
                        "HeaderName", "x-latchkey-edge-secret", "HeaderValue", Map.of("Ref", "EdgeOriginSecret")))));

        Map<String, Object> variables = SamTemplateTest.map(SamTemplateTest.map(SamTemplateTest.map(
                SamTemplateTest.map(template.get("Globals")).get("Function")).get("Environment")).get("Variables"));
        assertThat(variables.get("LATCHKEY_EDGE_ORIGIN_SECRET")).as("only with the edge, else absent")
                .isEqualTo(Map.of("Fn::If", List.of("HasEdge", Map.of("Ref", "EdgeOriginSecret"),
                        Map.of("Ref", "AWS::NoValue"))));
        // The secret is used nowhere else: not in an output, not in another resource.
        assertThat(String.valueOf(template.get("Outputs"))).doesNotContain("EdgeOriginSecret");
        SamTemplateTest.resourcesOfType(template, "AWS::Serverless::Function").forEach((name, function) -> {
            Object sha = SamTemplateTest.properties(function).get("AutoPublishCodeSha256");
            if (sha != null) {
                assertThat(String.valueOf(sha)).as(name + ": a changed secret publishes a version")
                        .contains("${EdgeOriginSecret}");
            }
        });
    }

    @Test
    void whenTheEdgeIsOnThenTerraformSendsTheOriginSecretAndTheFunctionsRequireItOnlyThen() throws IOException {
        Path terraform = TemplateYaml.repoRoot().resolve("terraform");
        Map<String, Object> variables = SamTemplateTest.map(TerraformTest.parseModule(terraform, Map.of())
                .get("variable"));
        Map<String, Object> secret = SamTemplateTest.map(variables.get("edge_origin_secret"));
        assertThat(secret).containsEntry("sensitive", true).containsEntry("default", "");
        assertThat(Files.readString(terraform.resolve("variables.tf")))
                .contains("condition     = can(regex(\"^([!-~]{32,})?$\", var.edge_origin_secret))");

        String edge = Files.readString(terraform.resolve("edge.tf"));
        assertThat(edge).contains("    custom_header {\n      name  = \"x-latchkey-edge-secret\"\n"
                + "      value = var.edge_origin_secret\n    }\n")
                .contains("nonsensitive(var.edge_origin_secret != \"\")");
        String functions = Files.readString(terraform.resolve("functions.tf"));
        assertThat(functions).contains(
                "var.edge_enabled ? { LATCHKEY_EDGE_ORIGIN_SECRET = var.edge_origin_secret } : {},");
        assertThat(Pattern.compile("var\\.edge_origin_secret").matcher(functions + edge
                + Files.readString(terraform.resolve("outputs.tf")) + Files.readString(terraform.resolve("main.tf")))
                .results().count()).as("the secret feeds the origin header, the precondition and the env only")
                .isEqualTo(3);
    }
}
