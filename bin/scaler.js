#!/usr/bin/env node
// Runs the TypeScript CLI directly: tsx compiles it on the fly, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const code = await main(process.argv.slice(2));
// A command may have set a failing exit code itself (a chat node that stopped on its own).
if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
