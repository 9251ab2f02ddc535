import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sns from "@pulumi/aws/sns";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as pulumi from "@pulumi/pulumi";
import {
  COUNT_EVALUATION,
  dashboardBody,
  durationThresholdMs,
  PERCENTILE_EVALUATION,
  RATE_EVALUATION,
  rateExpression,
  type AlarmThresholds,
  type Evaluation,
} from "./alarms";

export interface MonitoredFunction {
  /** Its physical name, the `FunctionName` dimension. */
  name: string;
  /** Its route's slug (`get-private`), which names its alarms. */
  slug: string;
  timeoutSeconds: number;
}

export interface MonitoringArgs {
  /** Physical name of the stack (`<project>-<stack>`); every alarm's name starts with it. */
  name: string;
  apiId: pulumi.Input<string>;
  /** The stage the API serves (`$default`). */
  stage: string;
  /** Every route's function: each gets its own alarms. */
  functions: MonitoredFunction[];
  accessLogGroupName: string;
  thresholds: AlarmThresholds;
  /** Subscribed to the topic by email; none when undefined. */
  alarmEmail?: string;
}

/**
 * What tells someone that prod is failing: an SNS topic (with an email subscription when asked),
 * alarms on the API's 5xx rate, 4xx rate and p99 latency and on every function's errors,
 * throttles and p99 duration, each notifying the topic on ALARM and on OK, and a dashboard.
 * Numbers and their reasons are in `alarms.ts`.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("api-auth-jwt-auth0:monitoring:Monitoring", name, {}, opts);
    const parent = { parent: this };
    const topic = new sns.Topic(`${name}-topic`, { name: `${args.name}-alarms` }, parent);
    if (args.alarmEmail !== undefined) {
      // AWS mails a confirmation link; until it is followed the subscription receives nothing,
      // and Pulumi cannot follow it.
      new sns.TopicSubscription(
        `${name}-email`,
        { topic: topic.arn, protocol: "email", endpoint: args.alarmEmail },
        parent,
      );
    }
    const alarm = alarmFactory(name, args.name, topic.arn, parent);
    apiAlarms(alarm, args);
    for (const fn of args.functions) functionAlarms(alarm, fn);
    const dashboard = stackDashboard(name, args, parent);
    this.topicArn = topic.arn;
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ topicArn: this.topicArn, dashboardName: this.dashboardName });
  }
}

type Alarm = ReturnType<typeof alarmFactory>;

/** The API's 5xx and 4xx rates and its p99 latency. */
function apiAlarms(alarm: Alarm, args: MonitoringArgs): void {
  const api = { ApiId: args.apiId, Stage: args.stage };
  const { fiveXxRatePercent, fourXxRatePercent, latencyP99Ms } = args.thresholds;
  alarm("api-5xx-rate", `the API answers more than ${fiveXxRatePercent}% of requests 5xx`, {
    ...rate(api, "5xx", RATE_EVALUATION),
    threshold: fiveXxRatePercent,
  });
  alarm("api-4xx-rate", `the API answers more than ${fourXxRatePercent}% of requests 4xx`, {
    ...rate(api, "4xx", RATE_EVALUATION),
    threshold: fourXxRatePercent,
  });
  alarm("api-latency-p99", `the API's p99 latency is over ${latencyP99Ms} ms`, {
    ...metric("AWS/ApiGateway", "Latency", api, PERCENTILE_EVALUATION, "p99"),
    threshold: latencyP99Ms,
  });
}

/** A function's errors and throttles, and its p99 duration near its timeout. */
function functionAlarms(alarm: Alarm, fn: MonitoredFunction): void {
  const dimensions = { FunctionName: fn.name };
  alarm(`${fn.slug}-errors`, `function ${fn.name} fails`, {
    ...metric("AWS/Lambda", "Errors", dimensions, COUNT_EVALUATION, "Sum"),
    threshold: 0,
  });
  alarm(`${fn.slug}-throttles`, `function ${fn.name} is throttled`, {
    ...metric("AWS/Lambda", "Throttles", dimensions, COUNT_EVALUATION, "Sum"),
    threshold: 0,
  });
  alarm(`${fn.slug}-duration-p99`, `function ${fn.name}'s p99 duration nears its timeout`, {
    ...metric("AWS/Lambda", "Duration", dimensions, PERCENTILE_EVALUATION, "p99"),
    threshold: durationThresholdMs(fn.timeoutSeconds),
  });
}

/** The stack's dashboard (`dashboardBody`), in the stack's region. */
function stackDashboard(name: string, args: MonitoringArgs, parent: pulumi.CustomResourceOptions) {
  return new cloudwatch.Dashboard(
    `${name}-dashboard`,
    {
      dashboardName: args.name,
      dashboardBody: pulumi
        .all([args.apiId, getRegionOutput({}, parent).region])
        .apply(([apiId, region]) =>
          dashboardBody({
            region,
            apiId,
            stage: args.stage,
            functionNames: args.functions.map((f) => f.name),
            accessLogGroup: args.accessLogGroupName,
          }),
        ),
    },
    parent,
  );
}

type AlarmSettings = Omit<cloudwatch.MetricAlarmArgs, "name" | "alarmActions" | "okActions">;

/** Alarms named `<stack name>-<what>`, each notifying the topic on ALARM and on OK. */
function alarmFactory(
  name: string,
  stackName: string,
  topicArn: pulumi.Output<string>,
  parent: pulumi.CustomResourceOptions,
) {
  return (what: string, description: string, settings: AlarmSettings) =>
    new cloudwatch.MetricAlarm(
      `${name}-${what}`,
      {
        name: `${stackName}-${what}`,
        alarmDescription: `${description} (see docs/operations.md)`,
        comparisonOperator: "GreaterThanThreshold",
        alarmActions: [topicArn],
        okActions: [topicArn],
        ...settings,
      },
      parent,
    );
}

function evaluation(e: Evaluation) {
  return {
    evaluationPeriods: e.evaluationPeriods,
    datapointsToAlarm: e.datapointsToAlarm,
    treatMissingData: e.treatMissingData,
  };
}

/** One metric, with a statistic (`Sum`) or a percentile (`p99`, an extended statistic). */
function metric(
  namespace: string,
  metricName: string,
  dimensions: Record<string, pulumi.Input<string>>,
  e: Evaluation,
  stat: string,
): AlarmSettings {
  return {
    namespace,
    metricName,
    dimensions,
    period: e.periodSeconds,
    ...(stat.startsWith("p") ? { extendedStatistic: stat } : { statistic: stat }),
    ...evaluation(e),
  };
}

/** `part` of the API's requests in percent, by metric math (`rateExpression`). */
function rate(
  dimensions: Record<string, pulumi.Input<string>>,
  part: string,
  e: Evaluation,
): AlarmSettings {
  const query = (id: string, metricName: string) => ({
    id,
    returnData: false,
    metric: {
      namespace: "AWS/ApiGateway",
      metricName,
      dimensions,
      period: e.periodSeconds,
      stat: "Sum",
    },
  });
  return {
    metricQueries: [
      query("part", part),
      query("total", "Count"),
      {
        id: "rate",
        expression: rateExpression(e.periodSeconds),
        label: `${part} rate (%)`,
        returnData: true,
      },
    ],
    ...evaluation(e),
  };
}
