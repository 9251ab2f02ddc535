/**
 * In the stacks the pack's `monitoredStacks` names, failures reach someone: every function has
 * Errors and Throttles alarms, the API has its 5xx alarm, every alarm notifies this stack's topic
 * on ALARM and on OK, and (advisory) the topic has a subscriber. Resources are matched by the
 * engine's property dependencies and by the names the program gives, which a first preview knows;
 * IDs and ARNs it does not.
 */
import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { dependency, resourcesOf } from "./stackResources";
import { configSchema, packConfig, stackOf } from "./support";

const TOPIC = "aws:sns/topic:Topic";
const API = "aws:apigatewayv2/api:Api";

/** The monitored stack's name, or undefined where the pack does not ask for monitoring. */
function monitoredStack(args: StackValidationArgs): string | undefined {
  const stack = stackOf(args.resources[0]?.urn ?? "");
  return packConfig(args).monitoredStacks.includes(stack) ? stack : undefined;
}

const alarmsOf = (args: StackValidationArgs) =>
  resourcesOf(args.resources, aws.cloudwatch.MetricAlarm);

export const functionAlarms: StackValidationPolicy = {
  name: "monitoring-function-alarms",
  description: "In monitoredStacks, every function has an Errors and a Throttles alarm.",
  configSchema: configSchema("monitoredStacks"),
  validateStack: (args, report) => {
    const stack = monitoredStack(args);
    if (stack === undefined) return;
    const alarms = alarmsOf(args).map(({ p }) => p);
    for (const { p: fn } of resourcesOf(args.resources, aws.lambda.Function)) {
      for (const metric of ["Errors", "Throttles"]) {
        const watched = alarms.some(
          (a) =>
            a.namespace === "AWS/Lambda" &&
            a.metricName === metric &&
            a.dimensions?.FunctionName === fn.name,
        );
        if (!watched) report(`stack ${stack}: function ${fn.name} has no ${metric} alarm`);
      }
    }
  },
};

export const api5xxAlarm: StackValidationPolicy = {
  name: "monitoring-api-5xx-alarm",
  description: "In monitoredStacks, every HTTP API has an alarm on its 5xx responses.",
  configSchema: configSchema("monitoredStacks"),
  validateStack: (args, report) => {
    const stack = monitoredStack(args);
    if (stack === undefined) return;
    const alarms = alarmsOf(args);
    for (const { r: api, p } of resourcesOf(args.resources, aws.apigatewayv2.Api)) {
      const watched = alarms.some(
        ({ r, p: alarm }) =>
          [dependency(r, "metricQueries", API), dependency(r, "dimensions", API)].includes(api) &&
          [
            alarm.metricName,
            ...(alarm.metricQueries ?? []).map((q) => q.metric?.metricName),
          ].includes("5xx"),
      );
      if (!watched) report(`stack ${stack}: API ${p.name} has no alarm on its 5xx responses`);
    }
  },
};

export const alarmActions: StackValidationPolicy = {
  name: "monitoring-alarm-actions",
  description: "In monitoredStacks, every alarm notifies this stack's topic on ALARM and on OK.",
  configSchema: configSchema("monitoredStacks"),
  validateStack: (args, report) => {
    const stack = monitoredStack(args);
    if (stack === undefined) return;
    for (const { r, p: alarm } of alarmsOf(args)) {
      for (const actions of ["alarmActions", "okActions"]) {
        if (dependency(r, actions, TOPIC) === undefined) {
          report(
            `stack ${stack}: alarm ${alarm.name} does not notify the stack's topic in ${actions}`,
          );
        }
      }
    }
  },
};

export const topicSubscribed: StackValidationPolicy = {
  name: "monitoring-topic-subscribed",
  description: "In monitoredStacks, someone subscribes to the alarm topic (alarmEmail).",
  enforcementLevel: "advisory",
  configSchema: configSchema("monitoredStacks"),
  validateStack: (args, report) => {
    const stack = monitoredStack(args);
    if (stack === undefined) return;
    const subscribed = new Set<PolicyResource | undefined>(
      resourcesOf(args.resources, aws.sns.TopicSubscription).map(({ r }) =>
        dependency(r, "topic", TOPIC),
      ),
    );
    for (const { r, p } of resourcesOf(args.resources, aws.sns.Topic)) {
      if (!subscribed.has(r)) {
        report(
          `stack ${stack}: topic ${p.name} has no subscription, so no alarm reaches anyone: set alarmEmail`,
        );
      }
    }
  },
};
