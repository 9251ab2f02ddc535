import * as assert from "node:assert/strict";
import {
  dashboardBody,
  durationThresholdMs,
  rateExpression,
  topErrorsQuery,
} from "../infra/alarms";
import { readStackSettings } from "../local/evaluate/stackFiles";
import {
  evaluateStack,
  expectOk,
  one,
  ofType,
  PROJECT_DIR,
  type Evaluated,
} from "./support/program";
import { stackFacts } from "./support/stacks";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
/** The sample's routes' functions, in the order index.ts declares them. */
const FUNCTIONS = ["get-public", "get-private", "get-items", "post-items", "delete-items-id"];

describe("alarm arithmetic", () => {
  it("computes a rate in percent only over periods with enough requests (10 a minute)", () => {
    assert.equal(rateExpression(60), "IF(total >= 10, 100 * part / total, 0)");
    assert.equal(rateExpression(300), "IF(total >= 50, 100 * part / total, 0)");
  });

  it("raises a function's duration alarm at 80% of its timeout", () => {
    assert.equal(durationThresholdMs(10), 8000);
    assert.equal(durationThresholdMs(3), 2400);
  });

  it("asks Logs Insights for the access log's failures by status and error type", () => {
    assert.equal(
      topErrorsQuery("/aws/vendedlogs/apis/x"),
      "SOURCE '/aws/vendedlogs/apis/x' | filter status >= 400 " +
        "| stats count(*) as requests by status, errorResponseType, authorizerError " +
        "| sort requests desc | limit 20",
    );
  });
});

describe("monitoring, stack prod", function () {
  let program: Evaluated;
  let name: string;
  let apiId: string;
  let topicArn: string;
  const alarm = (what: string) => one(program, ALARM, `monitoring-${what}`).inputs;

  before(async () => {
    ({
      program,
      name,
      api: { id: apiId },
    } = await stackFacts("prod"));
    topicArn = one(program, TOPIC, "monitoring-topic").state.arn as string;
  });

  it("has a topic named after the stack, exported, with the stack file's alarmEmail subscribed", () => {
    assert.deepEqual(one(program, TOPIC, "monitoring-topic").inputs, { name: `${name}-alarms` });
    assert.equal(topicArn, `arn:aws:sns:us-east-1:123456789012:${name}-alarms`);
    assert.deepEqual(program.outputs.alarmTopicArn, { value: topicArn, secret: false });
    assert.deepEqual(one(program, SUBSCRIPTION, "monitoring-email").inputs, {
      topic: topicArn,
      protocol: "email",
      endpoint: "oncall@example.com",
    });
  });

  it("alarms on the API's 5xx rate by metric math over Count, with a minimum of requests", () => {
    const query = (id: string, metricName: string) => ({
      id,
      returnData: false,
      metric: {
        namespace: "AWS/ApiGateway",
        metricName,
        dimensions: { ApiId: apiId, Stage: "$default" },
        period: 60,
        stat: "Sum",
      },
    });
    assert.deepEqual(alarm("api-5xx-rate"), {
      name: `${name}-api-5xx-rate`,
      alarmDescription: "the API answers more than 1% of requests 5xx (see docs/operations.md)",
      comparisonOperator: "GreaterThanThreshold",
      alarmActions: [topicArn],
      okActions: [topicArn],
      metricQueries: [
        query("part", "5xx"),
        query("total", "Count"),
        {
          id: "rate",
          expression: "IF(total >= 10, 100 * part / total, 0)",
          label: "5xx rate (%)",
          returnData: true,
        },
      ],
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
      threshold: 1,
    });
    assert.equal(alarm("api-4xx-rate").threshold, 25);
  });

  it("alarms on the API's p99 latency over five-minute periods", () => {
    assert.deepEqual(alarm("api-latency-p99"), {
      name: `${name}-api-latency-p99`,
      alarmDescription: "the API's p99 latency is over 3000 ms (see docs/operations.md)",
      comparisonOperator: "GreaterThanThreshold",
      alarmActions: [topicArn],
      okActions: [topicArn],
      namespace: "AWS/ApiGateway",
      metricName: "Latency",
      dimensions: { ApiId: apiId, Stage: "$default" },
      period: 300,
      extendedStatistic: "p99",
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: "notBreaching",
      threshold: 3000,
    });
  });

  for (const slug of FUNCTIONS) {
    it(`alarms on ${slug}'s errors, throttles and p99 duration near its timeout`, () => {
      const fn = `${name}-${slug}`;
      for (const [metricName, what, threshold, stat] of [
        ["Errors", "errors", 0, "statistic Sum"],
        ["Throttles", "throttles", 0, "statistic Sum"],
        ["Duration", "duration-p99", 8000, "extendedStatistic p99"],
      ] as const) {
        const inputs = alarm(`${slug}-${what}`);
        assert.deepEqual(
          {
            name: inputs.name,
            namespace: inputs.namespace,
            metricName: inputs.metricName,
            dimensions: inputs.dimensions,
            threshold: inputs.threshold,
            stat:
              inputs.statistic !== undefined
                ? `statistic ${String(inputs.statistic)}`
                : `extendedStatistic ${String(inputs.extendedStatistic)}`,
            actions: [inputs.alarmActions, inputs.okActions],
          },
          {
            name: `${fn}-${what}`,
            namespace: "AWS/Lambda",
            metricName,
            dimensions: { FunctionName: fn },
            threshold,
            stat,
            actions: [[topicArn], [topicArn]],
          },
        );
      }
    });
  }

  it("gives every function of every route its alarms, and names every alarm after the stack", () => {
    const functions = ofType(program, "aws:lambda/function:Function").map((f) => f.inputs.name);
    const watched = ofType(program, ALARM)
      .map((a) => (a.inputs.dimensions as { FunctionName?: string } | undefined)?.FunctionName)
      .filter((f) => f !== undefined);
    for (const fn of functions) assert.equal(watched.filter((w) => w === fn).length, 3, String(fn));
    assert.equal(ofType(program, ALARM).length, 3 + 3 * functions.length);
    for (const a of ofType(program, ALARM))
      assert.match(String(a.inputs.name), new RegExp(`^${name}-`));
  });

  it("builds a dashboard in CloudWatch's body structure, naming only this stack's API, functions and logs", () => {
    const dashboard = one(program, DASHBOARD, "monitoring-dashboard").inputs;
    assert.equal(dashboard.dashboardName, name);
    const body = dashboard.dashboardBody as string;
    assert.equal(
      body,
      dashboardBody({
        region: "us-east-1",
        apiId,
        stage: "$default",
        functionNames: FUNCTIONS.map((s) => `${name}-${s}`),
        accessLogGroup: `/aws/vendedlogs/apis/${name}`,
      }),
    );
    const { widgets } = JSON.parse(body) as { widgets: Record<string, unknown>[] };
    for (const w of widgets) {
      assert.deepEqual(Object.keys(w).sort(), ["height", "properties", "type", "width", "x", "y"]);
    }
    const metrics = widgets
      .filter((w) => w.type === "metric")
      .flatMap((w) => (w.properties as { metrics: unknown[][] }).metrics);
    const dimensionValues = new Set(
      metrics.flatMap((m) => {
        const strings = m.filter((x): x is string => typeof x === "string");
        return strings.filter((_, i) => i >= 2 && i % 2 === 1);
      }),
    );
    assert.deepEqual(
      [...dimensionValues].sort(),
      [apiId, "$default", ...FUNCTIONS.map((s) => `${name}-${s}`)].sort(),
    );
    assert.deepEqual(new Set(metrics.map((m) => m[0])), new Set(["AWS/ApiGateway", "AWS/Lambda"]));
    const logs = widgets.filter((w) => w.type === "log");
    assert.equal(logs.length, 1);
    assert.equal(
      (logs[0]!.properties as { query: string }).query,
      topErrorsQuery(`/aws/vendedlogs/apis/${name}`),
    );
  });
});

describe("monitoring, stack dev", function () {
  it("creates nothing unless configured", async () => {
    const { program } = await stackFacts("dev");
    for (const type of [ALARM, TOPIC, SUBSCRIPTION, DASHBOARD]) {
      assert.deepEqual(ofType(program, type), [], type);
    }
    assert.equal("alarmTopicArn" in program.outputs, false);
  });

  it("creates the alarms and topic when monitoring is turned on, with no subscription unless alarmEmail is set", async () => {
    const { config } = readStackSettings(PROJECT_DIR, "dev");
    const program = expectOk(
      await evaluateStack("dev", {
        config: { ...config, "api-auth-jwt-auth0:monitoring": "true" },
      }),
    );
    assert.deepEqual(one(program, TOPIC, "monitoring-topic").inputs, {
      name: "api-auth-jwt-auth0-dev-alarms",
    });
    assert.deepEqual(ofType(program, SUBSCRIPTION), []);
    // The API's 3, and 3 for each of the 5 routes' functions.
    assert.equal(ofType(program, ALARM).length, 3 + 3 * FUNCTIONS.length);
  });
});
