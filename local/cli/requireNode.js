// Loaded before anything else by npm start, npm run token and npm run login (`node --require`):
// on a Node.js the tools cannot run on, one line saying what is needed, instead of an error from
// deep inside (`URL.parse is not a function`, or a failed require() of an ES module). Plain
// JavaScript, with no dependency, so that it runs on any Node.js.
"use strict";

/** The problem with this Node.js version, or undefined: 20.19+ or 22.12+ (require() of ES modules). */
function nodeVersionProblem(version) {
  const [major, minor] = String(version).split(".").map(Number);
  const ok = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22;
  return ok
    ? undefined
    : `This needs Node.js 20.19 or later on 20, or 22.12 or later; this is Node.js ${version}. ` +
        "Install a newer one (https://nodejs.org/) and run the command again.";
}

module.exports = { nodeVersionProblem };

const problem = nodeVersionProblem(process.versions.node);
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
