#!/usr/bin/env node
// The `drainlab` command (package.json "bin"): `npx drainlab <command>` from a clone after npm ci, with stdout
// holding only what the command prints (no npm banner). The TypeScript loader is registered in this very process
// instead of starting a child, so Ctrl-C, SIGTERM and the exit code reach harness/cli.ts with nothing in between:
// a relaying parent would deliver a terminal's Ctrl-C twice (once from the terminal, once relayed), which the CLI
// takes as "kill at once".
/* global process */
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  // Said before the loader is imported: an older Node fails inside it with a message about module hooks instead.
  process.stderr.write(`error: drainlab needs Node.js 20.19 or newer, found ${process.versions.node}\n`);
  process.exit(4);
}
const { register } = await import('tsx/esm/api');
register();
await import('../harness/cli.ts');
