/**
 * What a monitored stack watches, as plain data: each alarm's metric, statistic, threshold and
 * evaluation (CW-ALARMS), and the dashboard's body (CW-DASHBOARD-BODY). `monitoring.ts` turns
 * them into resources; tests read them without mocks.
 *
 * HTTP APIs publish `Count`, `4xx`, `5xx`, `Latency` and `IntegrationLatency` to `AWS/ApiGateway`
 * with the dimensions `ApiId` and `Stage` (APIGW-HTTP-METRICS); Lambda publishes `Invocations`,
 * `Errors`, `Throttles` and `Duration` to `AWS/Lambda` by `FunctionName` (LAMBDA-METRICS).
 */

export interface AlarmThresholds {
  /** Percent of requests answered 5xx. */
  fiveXxRatePercent: number;
  /** Percent of requests answered 4xx. */
  fourXxRatePercent: number;
  latencyP99Ms: number;
}

/**
 * Requests a period must hold before a rate counts: below it, one failed request of three is a
 * 33% rate, and a quiet API would flap. Ten a minute is a rate worth waking someone for.
 */
export const MIN_REQUESTS_PER_MINUTE = 10;

/** A function's p99 duration past this share of its timeout raises its alarm: close to a 500. */
export const DURATION_TIMEOUT_SHARE = 0.8;

export interface Evaluation {
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  /** Missing data is no traffic, which is no failure. */
  treatMissingData: "notBreaching";
}

/**
 * One minute at a time, three bad minutes out of five: a burst of one minute (a deploy, a client
 * retrying) does not page, five minutes of errors do, within five minutes.
 */
export const RATE_EVALUATION: Evaluation = {
  periodSeconds: 60,
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
  treatMissingData: "notBreaching",
};

/**
 * Percentiles need samples: five-minute periods, two bad ones out of three (a p99 over one quiet
 * minute is one request's latency).
 */
export const PERCENTILE_EVALUATION: Evaluation = {
  periodSeconds: 300,
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
  treatMissingData: "notBreaching",
};

/**
 * Any error or throttle, in two minutes out of five: a function's errors are its own bugs (API
 * Gateway answers them 500) and a throttle is a refused request, so a low bar, with one lone
 * minute forgiven.
 */
export const COUNT_EVALUATION: Evaluation = {
  periodSeconds: 60,
  evaluationPeriods: 5,
  datapointsToAlarm: 2,
  treatMissingData: "notBreaching",
};

/**
 * The metric-math expression of a rate in percent: `part` of `total`, zero while `total` is under
 * the minimum a period must hold (`MIN_REQUESTS_PER_MINUTE` per minute).
 */
export function rateExpression(periodSeconds: number): string {
  const minimum = (MIN_REQUESTS_PER_MINUTE * periodSeconds) / 60;
  return `IF(total >= ${minimum}, 100 * part / total, 0)`;
}

/** A function's duration alarm threshold, in milliseconds. */
export function durationThresholdMs(timeoutSeconds: number): number {
  return Math.round(timeoutSeconds * 1000 * DURATION_TIMEOUT_SHARE);
}

export interface DashboardInput {
  region: string;
  apiId: string;
  stage: string;
  functionNames: string[];
  accessLogGroup: string;
}

type Widget = Record<string, unknown>;

const metricWidget = (
  x: number,
  y: number,
  title: string,
  region: string,
  metrics: unknown[][],
  stat: string,
): Widget => ({
  type: "metric",
  x,
  y,
  width: 12,
  height: 6,
  properties: { title, region, view: "timeSeries", stat, period: 60, metrics },
});

/**
 * The dashboard, as CloudWatch's dashboard body structure has it: `widgets`, each with `type`,
 * `x`, `y`, `width`, `height` and `properties`; a metric widget's `metrics` are arrays of
 * namespace, metric name, then dimension name and value pairs; a log widget's `query` starts with
 * `SOURCE '<log group>'` (CW-DASHBOARD-BODY).
 */
export function dashboardBody(input: DashboardInput): string {
  const { region, apiId, stage } = input;
  const api = (metric: string, extra: Record<string, unknown> = {}) => [
    "AWS/ApiGateway",
    metric,
    "ApiId",
    apiId,
    "Stage",
    stage,
    extra,
  ];
  const perFunction = (metric: string) =>
    input.functionNames.map((name) => ["AWS/Lambda", metric, "FunctionName", name]);
  const widgets: Widget[] = [
    metricWidget(0, 0, "Requests", region, [api("Count")], "Sum"),
    metricWidget(12, 0, "4xx and 5xx", region, [api("4xx"), api("5xx")], "Sum"),
    metricWidget(
      0,
      6,
      "Latency p50 and p99 (ms)",
      region,
      [api("Latency", { stat: "p50" }), api("Latency", { stat: "p99" })],
      "p99",
    ),
    metricWidget(12, 6, "Function invocations", region, perFunction("Invocations"), "Sum"),
    metricWidget(0, 12, "Function errors", region, perFunction("Errors"), "Sum"),
    metricWidget(12, 12, "Function throttles", region, perFunction("Throttles"), "Sum"),
    metricWidget(0, 18, "Function duration p99 (ms)", region, perFunction("Duration"), "p99"),
    {
      type: "log",
      x: 12,
      y: 18,
      width: 12,
      height: 6,
      properties: {
        title: "Why requests failed (access logs)",
        region,
        view: "table",
        query: topErrorsQuery(input.accessLogGroup),
      },
    },
  ];
  return JSON.stringify({ widgets });
}

/**
 * The Logs Insights query to run first when an alarm fires: the access log's failures by the
 * gateway's error type and status, most frequent first (the fields `infra/accessLog.ts` writes).
 */
export function topErrorsQuery(accessLogGroup: string): string {
  return (
    `SOURCE '${accessLogGroup}' | filter status >= 400 ` +
    "| stats count(*) as requests by status, errorResponseType, authorizerError " +
    "| sort requests desc | limit 20"
  );
}
