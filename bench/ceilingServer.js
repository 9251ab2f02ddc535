// The ceiling: a bare node:http server answering "Hello stranger!", in its own process. Whatever
// the local environment does per request comes on top of this.
"use strict";
const http = require("node:http");

const server = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": "15" });
  res.end("Hello stranger!");
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
