/**
 * The smoke test's checks: what a running stack must answer, each as API Gateway answers it
 * (docs/sources.md JWT-DOC, JWT-TS): the public route, the JWT route refusing what it must and
 * greeting a valid token's subject, the items routes (where the stack has them) creating, listing
 * and deleting an item under `write:items` and refusing a write without it, a browser's preflight
 * from the stack's first origin, and no answer that carries a stack trace. The same checks run against `npm start` and a deployed stack.
 */
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from "jose";

export interface SmokeTarget {
  /** Where the API answers (its execute-api endpoint, its custom domain, or `npm start`'s). */
  apiEndpoint: string;
  /**
   * A token the API accepts: an ID token from the built-in issuer, or the smoke client's; none
   * where a deployed stack has no smoke client (the checks that need one are then said, not run).
   */
  token?: () => Promise<string>;
  /** A token from the same issuer that has expired, where the issuer can make one (locally). */
  expiredToken?: () => Promise<string>;
  /** The stack's first CORS origin, when it allows any. */
  corsOrigin?: string;
  /** An access token carrying `write:items`, for the items routes. */
  writerToken?: () => Promise<string>;
  /** A token the API accepts without `write:items`, where the issuer can make one (locally). */
  readerToken?: () => Promise<string>;
}

export interface CheckResult {
  check: string;
  /** `skipped`: a check this stack cannot run (no token to run it with), said with its reason. */
  ok: boolean | "skipped";
  ms: number;
  /** What was wrong, when not ok. */
  detail?: string;
}

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

/** API Gateway's answer to a refused token: 401, `{"message":"Unauthorized"}`. */
const UNAUTHORIZED = { status: 401, body: '{"message":"Unauthorized"}' };

/** A V8 or Node stack frame (`    at f (/var/task/index.js:3:9)`): no answer may carry one. */
const STACK_FRAME = /^\s*at .+:\d+:\d+\)?$/m;

/** One run: the answers seen so far, and whether every check passed. */
class Run {
  readonly answers: Answer[] = [];
  passed = true;

  constructor(
    readonly target: SmokeTarget,
    private readonly report: (result: CheckResult) => void,
  ) {}

  async call(path: string, init: RequestInit = {}): Promise<Answer> {
    const response = await fetch(`${this.target.apiEndpoint}${path}`, init);
    const answer = {
      status: response.status,
      headers: response.headers,
      body: await response.text(),
    };
    this.answers.push(answer);
    return answer;
  }

  /** Runs one check: `run` says what was wrong, or nothing. */
  async check(name: string, run: () => Promise<string | undefined>): Promise<void> {
    const started = performance.now();
    let detail: string | undefined;
    try {
      detail = await run();
    } catch (err) {
      // A stack that does not answer fails the run at once, in one line: no check can pass.
      const down = unreachable(err, this.target.apiEndpoint);
      if (down !== undefined) throw new Error(down);
      detail = (err as Error).message ?? String(err);
    }
    const ms = Math.round(performance.now() - started);
    this.passed &&= detail === undefined;
    this.report({ check: name, ok: detail === undefined, ms, ...(detail ? { detail } : {}) });
  }

  /** A check this stack cannot run, said so: it neither passes nor fails the run. */
  skip(name: string, why: string): void {
    this.report({ check: name, ok: "skipped", ms: 0, detail: why });
  }
}

const expect = (answer: Answer, status: number, body: string) =>
  answer.status === status && answer.body === body
    ? undefined
    : `got ${answer.status} ${JSON.stringify(answer.body.slice(0, 200))}, expected ${status} ${JSON.stringify(body)}`;
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const refused = (answer: Answer) => expect(answer, UNAUTHORIZED.status, UNAUTHORIZED.body);

export async function runSmoke(
  target: SmokeTarget,
  report: (result: CheckResult) => void,
): Promise<boolean> {
  const run = new Run(target, report);
  await run.check("GET /public answers 200 Hello stranger!", async () =>
    expect(await run.call("/public"), 200, "Hello stranger!"),
  );
  await run.check("GET /private without a token answers 401 Unauthorized", async () =>
    refused(await run.call("/private")),
  );
  await run.check("GET /private with a malformed token answers 401 Unauthorized", async () =>
    refused(await run.call("/private", bearer("not-a-jwt"))),
  );
  await tokenChecks(run);
  await itemsChecks(run);
  await preflightCheck(run);
  await run.check("no answer carries a stack trace", async () => {
    const traced = run.answers.find((a) => STACK_FRAME.test(a.body));
    return traced === undefined ? undefined : `an answer (${traced.status}) carries a stack frame`;
  });
  return run.passed;
}

/** A valid token greeted by its subject; the same claims signed by another key, and an expired one, refused. */
async function tokenChecks(run: Run): Promise<void> {
  const getToken = run.target.token;
  if (getToken === undefined) {
    run.skip(
      "GET /private with a valid token (and one signed by another key)",
      "the stack has no smoke client (smokeClient true adds it)",
    );
    return;
  }
  let token: string | undefined;
  await run.check("GET /private with a valid token answers 200 Hello <sub>!", async () => {
    token = await getToken();
    const sub = String(decodeJwt(token).sub);
    return expect(await run.call("/private", bearer(token)), 200, `Hello ${sub}!`);
  });
  const name = "GET /private with a token signed by another key answers 401 Unauthorized";
  await run.check(name, async () => {
    if (token === undefined) return "no valid token to copy the claims of (see above)";
    return refused(await run.call("/private", bearer(await signedByAnotherKey(token))));
  });
  const expired = run.target.expiredToken;
  if (expired === undefined) return;
  await run.check("GET /private with an expired token answers 401 Unauthorized", async () =>
    refused(await run.call("/private", bearer(await expired()))),
  );
}

/**
 * The items routes, where the stack has them (`GET /items` is not API Gateway's 404): a write
 * without the scope refused; an item created, listed, deleted, and no longer listed.
 */
async function itemsChecks(run: Run): Promise<void> {
  const { writerToken, readerToken } = run.target;
  const name = "the items routes create, list and delete an item under write:items";
  if (writerToken === undefined)
    return run.skip(name, "no token with write:items (smokeClient true adds one)");
  const probe = await run.call("/items");
  if (probe.status === 404) return run.skip(name, "the stack declares no GET /items");
  if (readerToken !== undefined) {
    await run.check("POST /items without write:items answers 403 Forbidden", async () =>
      expect(
        await run.call("/items", {
          method: "POST",
          body: '{"text":"smoke"}',
          ...bearer(await readerToken()),
        }),
        403,
        '{"message":"Forbidden"}',
      ),
    );
  }
  await run.check(name, async () => {
    const auth = bearer(await writerToken());
    const created = await run.call("/items", {
      method: "POST",
      body: JSON.stringify({ text: "npm run smoke" }),
      headers: { ...auth.headers, "content-type": "application/json" },
    });
    if (created.status !== 201) return `POST /items: ${expect(created, 201, "an item")}`;
    const { id } = JSON.parse(created.body) as { id: string };
    const listed = async () =>
      (JSON.parse((await run.call("/items", auth)).body) as { items: { id: string }[] }).items.some(
        (item) => item.id === id,
      );
    if (!(await listed())) return `GET /items does not list the item ${id} just created`;
    const deleted = await run.call(`/items/${encodeURIComponent(id)}`, {
      method: "DELETE",
      ...auth,
    });
    if (deleted.status !== 204) return `DELETE /items/${id}: ${expect(deleted, 204, "")}`;
    return (await listed()) ? `GET /items still lists the item ${id} deleted` : undefined;
  });
}

/** A browser's preflight from the stack's first origin, where it allows one. */
async function preflightCheck(run: Run): Promise<void> {
  const origin = run.target.corsOrigin;
  if (origin === undefined) return;
  await run.check(`a preflight from ${origin} passes (204, that origin allowed)`, async () => {
    const answer = await run.call("/private", {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    const allowed = answer.headers.get("access-control-allow-origin");
    return answer.status === 204 && allowed === origin
      ? undefined
      : `got ${answer.status} with access-control-allow-origin ${JSON.stringify(allowed)}`;
  });
}

/** The valid token's claims, signed by a key of our own: only the signature is wrong. */
async function signedByAnotherKey(token: string): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = `smoke-${(await exportJWK(publicKey)).n!.slice(0, 8)}`;
  return new SignJWT(decodeJwt(token))
    .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
    .sign(privateKey);
}

/** A request that reached no one, said as what to do about it; undefined for any other error. */
function unreachable(err: unknown, endpoint: string): string | undefined {
  const cause = (err as { cause?: { code?: string; hostname?: string; port?: number } }).cause;
  const codes = ["ECONNREFUSED", "ENOTFOUND", "ECONNRESET", "ETIMEDOUT", "EAI_AGAIN"];
  if (cause?.code === undefined || !codes.includes(cause.code)) return undefined;
  return `smoke: nothing answers (${cause.code}) for ${endpoint} or its issuer: is the stack running (npm start, or deployed)?`;
}
