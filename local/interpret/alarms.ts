/**
 * The alarms a deploy would create, as the program declares them: shown in the console so a
 * developer sees, locally, what will page someone in the cloud. Nothing here evaluates them.
 */
import { TYPES } from "../../facts/resourceTypes";
import type { EvaluatedProgram, LocalAlarm } from "./model";

interface MetricQuery {
  expression?: string;
  metric?: { namespace?: string; metricName?: string };
}

export function interpretAlarms(evaluation: EvaluatedProgram): LocalAlarm[] {
  return evaluation.resources
    .filter((r) => r.type === TYPES.metricAlarm)
    .map((r) => {
      const queries = (r.inputs.metricQueries as MetricQuery[] | undefined) ?? [];
      const metrics = queries.flatMap((q) => (q.metric?.metricName ? [q.metric] : []));
      const expression = queries.find((q) => q.expression !== undefined)?.expression;
      const stat = r.inputs.extendedStatistic ?? r.inputs.statistic;
      return {
        name: String(r.inputs.name ?? r.name),
        description: String(r.inputs.alarmDescription ?? ""),
        namespace: String(r.inputs.namespace ?? metrics[0]?.namespace ?? ""),
        metric:
          expression !== undefined
            ? `${expression} (${metrics.map((m) => m.metricName).join(", ")})`
            : `${String(stat ?? "")} ${String(r.inputs.metricName ?? "")}`.trim(),
        threshold: `${String(r.inputs.comparisonOperator ?? "")} ${String(r.inputs.threshold)}`,
      };
    });
}
