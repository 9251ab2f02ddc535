/**
 * The smoke test's checks: what a running stack must answer, each as API Gateway answers it
 * (docs/sources.md JWT-DOC, JWT-TS): the public route, the JWT route refusing what it must and
 * greeting a valid token's subject, a browser's preflight from the stack's first origin, and no
 * answer that carries a stack trace. The same checks run against `npm start` and a deployed stack.
 */
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from "jose";

export interface SmokeTarget {
  /** Where the API answers (its execute-api endpoint, its custom domain, or `npm start`'s). */
  apiEndpoint: string;
  /** A token the API accepts: an ID token from the built-in issuer, or the smoke client's. */
  token(): Promise<string>;
  /** A token from the same issuer that has expired, where the issuer can make one (locally). */
  expiredToken?: () => Promise<string>;
  /** The stack's first CORS origin, when it allows any. */
  corsOrigin?: string;
}

export interface CheckResult {
  check: string;
  ok: boolean;
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

export async function runSmoke(
  target: SmokeTarget,
  report: (result: CheckResult) => void,
): Promise<boolean> {
  const answers: Answer[] = [];
  const call = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const response = await fetch(`${target.apiEndpoint}${path}`, init);
    const answer = {
      status: response.status,
      headers: response.headers,
      body: await response.text(),
    };
    answers.push(answer);
    return answer;
  };
  let passed = true;
  const check = async (name: string, run: () => Promise<string | undefined>) => {
    const started = performance.now();
    let detail: string | undefined;
    try {
      detail = await run();
    } catch (err) {
      // A stack that does not answer fails the run at once, in one line: no check can pass.
      const down = unreachable(err, target.apiEndpoint);
      if (down !== undefined) throw new Error(down);
      detail = (err as Error).message ?? String(err);
    }
    const ms = Math.round(performance.now() - started);
    passed &&= detail === undefined;
    report({
      check: name,
      ok: detail === undefined,
      ms,
      ...(detail !== undefined ? { detail } : {}),
    });
  };
  const expect = (answer: Answer, status: number, body: string) =>
    answer.status === status && answer.body === body
      ? undefined
      : `got ${answer.status} ${JSON.stringify(answer.body.slice(0, 200))}, expected ${status} ${JSON.stringify(body)}`;
  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  await check("GET /public answers 200 Hello stranger!", async () =>
    expect(await call("/public"), 200, "Hello stranger!"),
  );
  await check("GET /private without a token answers 401 Unauthorized", async () =>
    expect(await call("/private"), UNAUTHORIZED.status, UNAUTHORIZED.body),
  );
  await check("GET /private with a malformed token answers 401 Unauthorized", async () =>
    expect(await call("/private", bearer("not-a-jwt")), UNAUTHORIZED.status, UNAUTHORIZED.body),
  );
  let token: string | undefined;
  await check("GET /private with a valid token answers 200 Hello <sub>!", async () => {
    token = await target.token();
    const sub = String(decodeJwt(token).sub);
    return expect(await call("/private", bearer(token)), 200, `Hello ${sub}!`);
  });
  await check(
    "GET /private with a token signed by another key answers 401 Unauthorized",
    async () => {
      if (token === undefined) return "no valid token to copy the claims of (see above)";
      const forged = await signedByAnotherKey(token);
      return expect(await call("/private", bearer(forged)), UNAUTHORIZED.status, UNAUTHORIZED.body);
    },
  );
  if (target.expiredToken !== undefined) {
    const expired = target.expiredToken;
    await check("GET /private with an expired token answers 401 Unauthorized", async () =>
      expect(
        await call("/private", bearer(await expired())),
        UNAUTHORIZED.status,
        UNAUTHORIZED.body,
      ),
    );
  }
  if (target.corsOrigin !== undefined) {
    const origin = target.corsOrigin;
    await check(`a preflight from ${origin} passes (204, that origin allowed)`, async () => {
      const answer = await call("/private", {
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
  await check("no answer carries a stack trace", async () => {
    const traced = answers.find((a) => STACK_FRAME.test(a.body));
    return traced === undefined ? undefined : `an answer (${traced.status}) carries a stack frame`;
  });
  return passed;
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
