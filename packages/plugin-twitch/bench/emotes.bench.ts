// Benchmark: parseEmotes on very long `emotes` tags. The work is linear
// (test/normalize.test.ts counts it); this shows the time: doubling the tag
// should about double the milliseconds, never quadruple them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseEmotes } from '../src/normalize/emotes.js';

function shapes(k: number): Record<string, [tag: string, text: string]> {
  return {
    singleRanges: [`1:${Array.from({ length: k }, (_, i) => `${2 * i}-${2 * i}`).join(',')}`, 'a '.repeat(k)],
    wideRanges: [`7:${`0-${k / 10 - 1},`.repeat(k / 10)}`, 'x'.repeat(k / 10)],
    slashedId: [`${'80481_/'.repeat(k)}3:0-4`, 'Kappa'],
  };
}

/** Best of 5 runs, in ms. */
function best(tag: string, text: string): number {
  let min = Infinity;
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    parseEmotes(tag, text);
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return Number(min.toFixed(2));
}

const cases: Record<string, number> = {};
const ratios: Record<string, number> = {};
const small = shapes(50_000);
const large = shapes(100_000);
for (const name of Object.keys(small)) {
  const a = best(...small[name]!);
  const b = best(...large[name]!);
  cases[`${name}50k`] = a;
  cases[`${name}100k`] = b;
  ratios[`${name}Doubled`] = Number((b / a).toFixed(2));
}
console.table(Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, { ms: v }])));
console.table(Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, { ratio: v }])));
const result = { name: 'twitch.emotes', unit: 'ms', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', 'twitch.emotes.json'), `${JSON.stringify(result, null, 2)}\n`);
