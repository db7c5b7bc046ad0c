package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateYamlTest {

    @Test
    void shortFormTagsBecomeLongFormForScalarsSequencesAndMappings() {
        Map<String, Object> doc = TemplateYaml.parse("""
                ref: !Ref Table
                getAtt: !GetAtt Key.Arn
                getAttNested: !GetAtt Stack.Outputs.Url
                getAttList: !GetAtt [Key, Arn]
                sub: !Sub "arn:${AWS::Partition}:x"
                subList: !Sub ["${A}", {A: !Ref B}]
                cond: !If [HasX, !Ref X, !Ref AWS::NoValue]
                not: !Not [!Equals [!Ref P, ""]]
                join: !Join [",", [a, b]]
                select: !Select [0, !Split [",", "a,b"]]
                findInMap: !FindInMap [M, K, V]
                base64: !Base64 text
                cidr: !Cidr [10.0.0.0/16, 2, 8]
                azs: !GetAZs ""
                import: !ImportValue Exported
                condition: !Condition C
                and: !And [!Condition A, !Or [!Condition B, !Condition C]]
                custom: !Whatever {k: v}
                """);

        assertThat(doc.get("ref")).isEqualTo(Map.of("Ref", "Table"));
        assertThat(doc.get("getAtt")).isEqualTo(Map.of("Fn::GetAtt", List.of("Key", "Arn")));
        assertThat(doc.get("getAttNested")).isEqualTo(Map.of("Fn::GetAtt", List.of("Stack", "Outputs.Url")));
        assertThat(doc.get("getAttList")).isEqualTo(Map.of("Fn::GetAtt", List.of("Key", "Arn")));
        assertThat(doc.get("sub")).isEqualTo(Map.of("Fn::Sub", "arn:${AWS::Partition}:x"));
        assertThat(doc.get("subList")).isEqualTo(Map.of("Fn::Sub", List.of("${A}", Map.of("A", Map.of("Ref", "B")))));
        assertThat(doc.get("cond")).isEqualTo(Map.of("Fn::If",
                List.of("HasX", Map.of("Ref", "X"), Map.of("Ref", "AWS::NoValue"))));
        assertThat(doc.get("not")).isEqualTo(Map.of("Fn::Not",
                List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "P"), "")))));
        assertThat(doc.get("join")).isEqualTo(Map.of("Fn::Join", List.of(",", List.of("a", "b"))));
        assertThat(doc.get("select")).isEqualTo(Map.of("Fn::Select",
                List.of(0, Map.of("Fn::Split", List.of(",", "a,b")))));
        assertThat(doc.get("findInMap")).isEqualTo(Map.of("Fn::FindInMap", List.of("M", "K", "V")));
        assertThat(doc.get("base64")).isEqualTo(Map.of("Fn::Base64", "text"));
        assertThat(doc.get("cidr")).isEqualTo(Map.of("Fn::Cidr", List.of("10.0.0.0/16", 2, 8)));
        assertThat(doc.get("azs")).isEqualTo(Map.of("Fn::GetAZs", ""));
        assertThat(doc.get("import")).isEqualTo(Map.of("Fn::ImportValue", "Exported"));
        assertThat(doc.get("condition")).isEqualTo(Map.of("Condition", "C"));
        assertThat(doc.get("and")).isEqualTo(Map.of("Fn::And", List.of(Map.of("Condition", "A"),
                Map.of("Fn::Or", List.of(Map.of("Condition", "B"), Map.of("Condition", "C"))))));
        assertThat(doc.get("custom")).isEqualTo(Map.of("Fn::Whatever", Map.of("k", "v")));
    }

    @Test
    void forEachExpandsLikeLanguageExtensionsWithAlphanumericLogicalIdsAndSubstitutedRefsAndSubs() {
        Map<String, Object> doc = TemplateYaml.expandForEach(TemplateYaml.parse("""
                Resources:
                  Api: {Type: AWS::ApiGatewayV2::Api}
                  Fn::ForEach::Routes:
                    - Key
                    - ["GET /a/{id}", "POST /b"]
                    - Route&{Key}:
                        Type: AWS::ApiGatewayV2::Route
                        Properties:
                          RouteKey: !Ref Key
                          Target: !Sub "integrations/${Api}/${Key}"
                """));

        Map<String, Object> resources = SamTemplateTest.map(doc.get("Resources"));
        assertThat(resources).containsOnlyKeys("Api", "RouteGETaid", "RoutePOSTb");
        assertThat(SamTemplateTest.properties(SamTemplateTest.map(resources.get("RouteGETaid"))))
                .containsEntry("RouteKey", "GET /a/{id}")
                .containsEntry("Target", Map.of("Fn::Sub", "integrations/${Api}/GET /a/{id}"));
    }

    @Test
    void forEachRejectsTwoItemsWithTheSameLogicalId() {
        Map<String, Object> doc = TemplateYaml.parse("""
                Resources:
                  Fn::ForEach::Routes:
                    - Key
                    - ["GET /a", "GET /a/"]
                    - Route&{Key}: {Type: AWS::ApiGatewayV2::Route}
                """);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TemplateYaml.expandForEach(doc))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RouteGETa");
    }

    @Test
    void findsTheRepositoryRootAndLoadsTheTemplate() {
        assertThat(Files.isRegularFile(TemplateYaml.repoRoot().resolve("pom.xml"))).isTrue();
        Map<String, Object> template = TemplateYaml.load();
        assertThat(template).containsEntry("Transform",
                List.of("AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"));
        assertThat(SamTemplateTest.map(template.get("Resources"))).isNotEmpty();
    }
}
