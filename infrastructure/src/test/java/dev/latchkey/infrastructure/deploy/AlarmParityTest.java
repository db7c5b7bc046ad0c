package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.metrics.Dimension;
import dev.latchkey.infrastructure.metrics.Meter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17 item 2: SAM and Terraform raise the same alarms and show the same dashboard, on metrics Latchkey emits.
 * {@code terraform/monitoring/alarms.json} is the alarm list: Terraform builds one alarm per entry
 * ({@code monitoring.tf}), and {@code template.yaml} must spell exactly the same alarms (name, metrics, namespace,
 * dimensions, statistic, period, expression, evaluation periods, threshold, comparison). The dashboard is
 * {@code terraform/monitoring/dashboard.json}; the SAM template embeds that text unchanged (regenerate with
 * {@code -Dlatchkey.dashboard.write=true}). Every metric an alarm or a widget reads is a {@link Meter} with that
 * exact dimension set among its rollups, so no alarm watches a metric that is never written.
 */
class AlarmParityTest {

    private static final Path ALARMS = TemplateYaml.repoRoot().resolve("terraform/monitoring/alarms.json");
    private static final Path DASHBOARD = TemplateYaml.repoRoot().resolve("terraform/monitoring/dashboard.json");
    private static final Map<String, Object> NAMESPACE = Map.of("Fn::Sub", "Latchkey/${AWS::StackName}");

    private static JsonNode alarms() throws IOException {
        return Json.mapper().readTree(Files.readString(ALARMS));
    }

    @Test
    void samAlarmsWhenComparedWithAlarmsJsonThenTheSame() throws IOException {
        Map<String, Object> resources = SamTemplateTest.map(TemplateYaml.load().get("Resources"));
        Map<String, Map<String, Object>> sam = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            Map<String, Object> r = SamTemplateTest.map(resource);
            if ("AWS::CloudWatch::Alarm".equals(r.get("Type")) && !id.equals("RotateKeysFailureAlarm")) {
                Map<String, Object> p = SamTemplateTest.map(r.get("Properties"));
                sam.put(String.valueOf(SamTemplateTest.map(p.get("AlarmName")).get("Fn::Sub")), p);
            }
        });
        List<String> names = new ArrayList<>();
        for (JsonNode alarm : alarms()) {
            String name = alarm.path("name").asString();
            names.add("${AWS::StackName}-" + name);
            Map<String, Object> p = sam.get("${AWS::StackName}-" + name);
            assertThat(p).as("SAM alarm " + name).isNotNull();
            assertThat(p.get("AlarmDescription")).isEqualTo(alarm.path("description").asString());
            assertThat(number(p.get("EvaluationPeriods"))).isEqualTo(alarm.path("evaluation_periods").asDouble());
            assertThat(number(p.get("DatapointsToAlarm"))).isEqualTo(alarm.path("evaluation_periods").asDouble());
            assertThat(number(p.get("Threshold"))).as(name).isEqualTo(alarm.path("threshold").asDouble());
            assertThat(p.get("ComparisonOperator")).isEqualTo(alarm.path("comparison").asString());
            assertThat(p.get("TreatMissingData")).isEqualTo("notBreaching");
            assertThat(p.get("AlarmActions")).isEqualTo(p.get("OKActions"));
            assertThat(String.valueOf(p.get("AlarmActions"))).contains("AlarmTopicArn").contains("AlarmTopic");
            List<?> queries = (List<?>) p.get("Metrics");
            boolean expression = alarm.has("expression");
            assertThat(queries).hasSize(alarm.path("metrics").size() + (expression ? 1 : 0));
            for (int i = 0; i < alarm.path("metrics").size(); i++) {
                JsonNode metric = alarm.path("metrics").get(i);
                Map<String, Object> query = SamTemplateTest.map(queries.get(i));
                assertThat(query.get("Id")).isEqualTo(metric.path("id").asString());
                assertThat(query.get("ReturnData")).isEqualTo(!expression);
                Map<String, Object> stat = SamTemplateTest.map(query.get("MetricStat"));
                assertThat(number(stat.get("Period"))).isEqualTo(alarm.path("period").asDouble());
                assertThat(stat.get("Stat")).isEqualTo(metric.path("stat").asString());
                Map<String, Object> m = SamTemplateTest.map(stat.get("Metric"));
                assertThat(m.get("MetricName")).isEqualTo(metric.path("metric").asString());
                assertThat(m.get("Namespace")).isEqualTo(samValue(metric.path("namespace").asString()));
                Map<String, Object> dimensions = new LinkedHashMap<>();
                if (m.get("Dimensions") != null) {
                    for (Object d : (List<?>) m.get("Dimensions")) {
                        dimensions.put(String.valueOf(SamTemplateTest.map(d).get("Name")),
                                SamTemplateTest.map(d).get("Value"));
                    }
                }
                Map<String, Object> expected = new LinkedHashMap<>();
                metric.path("dimensions").properties().forEach(e -> expected.put(e.getKey(),
                        samValue(e.getValue().asString())));
                assertThat(dimensions).as(name + " dimensions").isEqualTo(expected);
            }
            if (expression) {
                Map<String, Object> last = SamTemplateTest.map(queries.get(queries.size() - 1));
                assertThat(last.get("Expression")).isEqualTo(alarm.path("expression").asString());
                assertThat(last.get("ReturnData")).isEqualTo(true);
            }
        }
        assertThat(sam.keySet()).as("no SAM alarm outside alarms.json").containsExactlyInAnyOrderElementsOf(names);
        assertThat(names).hasSizeGreaterThanOrEqualTo(9);
    }

    @Test
    void terraformAlarmsWhenReadThenOneAlarmPerAlarmsJsonEntryWithTheSamePlaceholders() throws IOException {
        String monitoring = Files.readString(TemplateYaml.repoRoot().resolve("terraform/monitoring.tf"));
        assertThat(monitoring)
                .contains("alarms = { for alarm in jsondecode(file(\"${path.module}/monitoring/alarms.json\")) : "
                        + "alarm.name => alarm }")
                .contains("resource \"aws_cloudwatch_metric_alarm\" \"latchkey\" {\n  for_each = local.alarms")
                .contains("metrics_namespace = \"Latchkey/${var.name_prefix}\"")
                .contains("\"$${namespace}\"            = local.metrics_namespace")
                .contains("\"$${rotate_keys_function}\" = module.function[\"rotate-keys\"].function_name")
                .contains("alarm_actions = local.alarm_actions").contains("ok_actions    = local.alarm_actions")
                .contains("dashboard_body = templatefile(\"${path.module}/monitoring/dashboard.json\"")
                .contains("treat_missing_data  = \"notBreaching\"");
        String functions = Files.readString(TemplateYaml.repoRoot().resolve("terraform/functions.tf"));
        assertThat(functions).contains("LATCHKEY_METRICS_NAMESPACE = local.metrics_namespace");
        Map<String, Object> globals = SamTemplateTest.map(SamTemplateTest.map(SamTemplateTest.map(
                TemplateYaml.load().get("Globals")).get("Function")).get("Environment"));
        assertThat(SamTemplateTest.map(globals.get("Variables")).get("LATCHKEY_METRICS_NAMESPACE"))
                .isEqualTo(NAMESPACE);
        Set<String> placeholders = new TreeSet<>();
        for (JsonNode alarm : alarms()) {
            for (JsonNode metric : alarm.path("metrics")) {
                collectPlaceholders(metric.path("namespace").asString(), placeholders);
                metric.path("dimensions").properties().forEach(e -> collectPlaceholders(e.getValue().asString(),
                        placeholders));
            }
        }
        assertThat(placeholders).containsExactly("${namespace}", "${rotate_keys_function}");
    }

    @Test
    void dashboardWhenEmbeddedInSamThenTheSameFileTerraformRenders() throws IOException {
        String file = Files.readString(DASHBOARD, StandardCharsets.UTF_8);
        Map<String, Object> resources = SamTemplateTest.map(TemplateYaml.load().get("Resources"));
        Map<String, Object> properties = SamTemplateTest.map(SamTemplateTest.map(resources.get("LatchkeyDashboard"))
                .get("Properties"));
        List<?> sub = (List<?>) SamTemplateTest.map(properties.get("DashboardBody")).get("Fn::Sub");
        if (Boolean.getBoolean("latchkey.dashboard.write")) {
            writeDashboardIntoTemplate(file);
            return;
        }
        assertThat(sub.get(0)).as("template.yaml's DashboardBody is terraform/monitoring/dashboard.json "
                + "(regenerate with -Dlatchkey.dashboard.write=true)").isEqualTo(file);
        assertThat(sub.get(1)).isEqualTo(Map.of("namespace", NAMESPACE, "region", Map.of("Ref", "AWS::Region")));
        JsonNode dashboard = Json.mapper().readTree(file.replace("${namespace}", "Latchkey/test")
                .replace("${region}", "eu-west-1"));
        assertThat(dashboard.path("widgets").size()).isGreaterThan(5);
    }

    @Test
    void alarmsAndWidgetsWhenTheyReadAMetricThenLatchkeyWritesItWithThoseDimensions() throws IOException {
        Set<String> written = new HashSet<>();
        for (Meter meter : Meter.values()) {
            for (List<Dimension> rollup : meter.rollups()) {
                written.add(meter.emfName() + rollup.stream().map(Dimension::emfName).sorted().toList());
            }
        }
        for (JsonNode alarm : alarms()) {
            for (JsonNode metric : alarm.path("metrics")) {
                if (!metric.path("namespace").asString().equals("${namespace}")) {
                    continue;
                }
                List<String> dimensions = new ArrayList<>();
                metric.path("dimensions").properties().forEach(e -> {
                    dimensions.add(e.getKey());
                    assertDimensionValue(e.getKey(), e.getValue().asString());
                });
                assertThat(written).as(alarm.path("name").asString())
                        .contains(metric.path("metric").asString() + dimensions.stream().sorted().toList());
            }
        }
        JsonNode dashboard = Json.mapper().readTree(Files.readString(DASHBOARD));
        int read = 0;
        for (JsonNode widget : dashboard.path("widgets")) {
            for (JsonNode metric : widget.path("properties").path("metrics")) {
                assertThat(metric.get(0).asString()).isEqualTo("${namespace}");
                List<String> dimensions = new ArrayList<>();
                for (int i = 2; i + 1 < metric.size() && metric.get(i).isString(); i += 2) {
                    dimensions.add(metric.get(i).asString());
                    assertDimensionValue(metric.get(i).asString(), metric.get(i + 1).asString());
                }
                assertThat(written).as(metric.toString())
                        .contains(metric.get(1).asString() + dimensions.stream().sorted().toList());
                read++;
            }
        }
        assertThat(read).isGreaterThan(20);
    }

    private static void assertDimensionValue(String name, String value) {
        Dimension dimension = List.of(Dimension.values()).stream().filter(d -> d.emfName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no dimension " + name));
        assertThat(dimension.allowed()).as(name).contains(value);
    }

    private static Object samValue(String value) {
        return switch (value) {
            case "${namespace}" -> NAMESPACE;
            case "${rotate_keys_function}" -> Map.of("Ref", "RotateKeysFunction");
            default -> value;
        };
    }

    private static double number(Object value) {
        return Double.parseDouble(String.valueOf(value));
    }

    private static void collectPlaceholders(String value, Set<String> into) {
        if (value.startsWith("${")) {
            into.add(value);
        }
    }

    /** Replaces the block literal of {@code LatchkeyDashboard}'s body in template.yaml with the file's text. */
    private static void writeDashboardIntoTemplate(String file) throws IOException {
        Path template = TemplateYaml.templatePath();
        List<String> lines = new ArrayList<>(Files.readAllLines(template));
        int start = lines.indexOf("      DashboardBody: !Sub") + 2;
        int end = start;
        while (lines.get(end).startsWith("          ") || lines.get(end).isEmpty()) {
            end++;
        }
        List<String> body = new ArrayList<>();
        for (String line : file.stripTrailing().split("\n", -1)) {
            body.add(line.isEmpty() ? "" : "          " + line);
        }
        lines.subList(start, end).clear();
        lines.addAll(start, body);
        Files.write(template, lines);
    }
}
