# Alarms and a dashboard on Latchkey's own metrics (issue 17 item 2), the same as template.yaml's: the alarms come from
# monitoring/alarms.json (AlarmParityTest compares it with the SAM template: names, metrics, statistics, periods,
# thresholds) and the dashboard is monitoring/dashboard.json, which template.yaml embeds as it is. docs/operations.md
# "Alarms" says why each alarm fires. Every function writes its metrics as EMF lines into its log; CloudWatch files
# them under local.metrics_namespace (LATCHKEY_METRICS_NAMESPACE, functions.tf).
locals {
  metrics_namespace = "Latchkey/${var.name_prefix}"

  alarms = { for alarm in jsondecode(file("${path.module}/monitoring/alarms.json")) : alarm.name => alarm }

  # What the placeholders of alarms.json stand for.
  alarm_placeholders = {
    "$${namespace}"            = local.metrics_namespace
    "$${rotate_keys_function}" = module.function["rotate-keys"].function_name
  }
}

resource "aws_cloudwatch_metric_alarm" "latchkey" {
  for_each = local.alarms

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value.description
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.evaluation_periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = "notBreaching"
  # Notifies alarm_topic_arn, else the topic made for alarm_email (functions.tf), else nobody.
  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions

  dynamic "metric_query" {
    for_each = each.value.metrics
    content {
      id          = metric_query.value.id
      return_data = !can(each.value.expression)
      metric {
        namespace   = lookup(local.alarm_placeholders, metric_query.value.namespace, metric_query.value.namespace)
        metric_name = metric_query.value.metric
        dimensions = { for name, value in metric_query.value.dimensions :
        name => lookup(local.alarm_placeholders, value, value) }
        period = each.value.period
        stat   = metric_query.value.stat
      }
    }
  }

  dynamic "metric_query" {
    for_each = can(each.value.expression) ? [each.value.expression] : []
    content {
      id          = "expression"
      expression  = metric_query.value
      label       = each.key
      return_data = true
    }
  }
}

resource "aws_cloudwatch_dashboard" "latchkey" {
  dashboard_name = var.name_prefix
  dashboard_body = templatefile("${path.module}/monitoring/dashboard.json", {
    namespace = local.metrics_namespace
    region    = data.aws_region.current.region
  })
}
