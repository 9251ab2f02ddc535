import type { PolicyInput } from "../support/policyHarness";
import { changed, mandatory, type PolicyCase } from "./case";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const PROD = "api-auth-jwt-auth0-prod";

/** The program without one resource, as if its line had been deleted. */
const without = (input: PolicyInput, type: string, name: string): PolicyInput => ({
  ...input,
  resources: input.resources.filter((r) => !(r.type === type && r.name === name)),
});

/** The alarms of a monitored stack and where they send notifications. */
export const monitoringCases: PolicyCase[] = [
  {
    rule: "monitoring-function-alarms",
    does: "refuses a function of a monitored stack with no Errors alarm",
    broken: ({ prod }) => without(prod, ALARM, "monitoring-get-mine-errors"),
    expected: [
      mandatory(
        "monitoring-function-alarms",
        `stack prod: function ${PROD}-get-mine has no Errors alarm`,
      ),
    ],
  },
  {
    rule: "monitoring-function-alarms",
    does: "asks nothing of a stack monitoredStacks does not name",
    broken: ({ dev }) => dev,
    expected: [],
  },
  {
    rule: "monitoring-api-5xx-alarm",
    does: "refuses a monitored API with no alarm on its 5xx responses",
    broken: ({ prod }) => without(prod, ALARM, "monitoring-api-5xx-rate"),
    expected: [
      mandatory(
        "monitoring-api-5xx-alarm",
        `stack prod: API ${PROD} has no alarm on its 5xx responses`,
      ),
    ],
  },
  {
    rule: "monitoring-alarm-actions",
    does: "refuses an alarm that notifies no one when it clears",
    broken: ({ prod }) =>
      changed(
        prod,
        ALARM,
        "monitoring-get-open-throttles",
        (p) => {
          p.okActions = [];
        },
        ["okActions"],
      ),
    expected: [
      mandatory(
        "monitoring-alarm-actions",
        `stack prod: alarm ${PROD}-get-open-throttles does not notify the stack's topic in okActions`,
      ),
    ],
  },
  {
    rule: "monitoring-topic-subscribed",
    does: "advises when no one subscribes to a monitored stack's topic",
    broken: ({ prod }) => without(prod, SUBSCRIPTION, "monitoring-email"),
    expected: [
      {
        policy: "monitoring-topic-subscribed",
        level: "advisory",
        message: `stack prod: topic ${PROD}-alarms has no subscription, so no alarm reaches anyone: set alarmEmail`,
      },
    ],
  },
];
