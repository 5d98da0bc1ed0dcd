#!/usr/bin/env node
import { main } from './main.js';
import { processIO } from './io.js';

const code = await main(process.argv.slice(2), processIO());
process.exitCode = code;
// A plugin that leaks a timer or socket must not keep a stopped runtime alive.
setTimeout(() => process.exit(code), 2_000).unref();
