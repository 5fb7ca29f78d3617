#!/usr/bin/env node
// Runs the TypeScript CLI directly: tsx compiles it on the fly, so there is no build step to forget.
import { register } from 'tsx/esm/api';

// The AWS SDK warns in nine lines on stderr, on any command that loads it, that it will need Node 22 after
// January 2027; `engines` in package.json says which Node lines the project supports, so it stays quiet here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../cli/main.ts');
const code = await main(process.argv.slice(2));
// A command may have set a failing exit code itself (a chat node that stopped on its own).
if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
