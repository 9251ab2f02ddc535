// The ceiling of a design that runs every invocation in a worker thread: a bare node:http server
// that hands each request to one worker thread by postMessage and answers with what comes back,
// in its own process. The local environment does this crossing for every invocation, and more.
"use strict";
const http = require("node:http");
const { Worker } = require("node:worker_threads");

const worker = new Worker(
  `const { parentPort } = require("node:worker_threads");
   parentPort.on("message", (m) => parentPort.postMessage({ id: m.id, body: "Hello stranger!" }));`,
  { eval: true },
);
const waiting = new Map();
let next = 0;
worker.on("message", ({ id, body }) => {
  const res = waiting.get(id);
  waiting.delete(id);
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": "15" });
  res.end(body);
});

const server = http.createServer((req, res) => {
  const id = ++next;
  waiting.set(id, res);
  worker.postMessage({ id, method: req.method, path: req.url });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
