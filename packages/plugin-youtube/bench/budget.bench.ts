// Benchmark: the YouTube quota budget governor against fixed 2 s polling on
// the same simulated 8-hour streams (seeded bursty chat, the server's 2–5 s
// pollingIntervalMillis, 10,000 units a day, 5 units a poll, a 500-unit
// reserve, one 50-unit reply and four discovery checks an hour).
// Figures are the worst over ten seeds: the fewest covered hours, the
// highest median latency, the most units; for fixed polling the most hours.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { BudgetGovernor, type BudgetGovernorOptions } from '../src/budget/governor.js';
import { fixedIntervalStrategy, type PollingStrategy, type SimulationResult, simulateStream } from '../src/budget/simulate.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const STREAM_HOURS = 8;
const options: BudgetGovernorOptions = { expectedStreamHours: 8, pollCost: 5, reserveUnits: 500, minIntervalMs: 1000, maxIntervalMs: 60_000 };

const strategies: Record<string, () => PollingStrategy> = {
  governor: () => new BudgetGovernor(options),
  'governor, activity-blind': () => new BudgetGovernor({ ...options, activityExponent: 0 }),
  'fixed 2 s': () => fixedIntervalStrategy(2000),
  'fixed 2 s, server floor': () => fixedIntervalStrategy(2000, { honorServerMin: true }),
};

const started = process.hrtime.bigint();
const runs: Record<string, SimulationResult[]> = {};
for (const [name, make] of Object.entries(strategies)) runs[name] = SEEDS.map((seed) => simulateStream(make(), { seed, streamHours: STREAM_HOURS }));
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

const worst = (results: SimulationResult[]) => ({
  coveredHours: Math.min(...results.map((r) => r.coveredHours)),
  medianLatencyS: Math.max(...results.map((r) => r.medianLatencyS)),
  p90LatencyS: Math.max(...results.map((r) => r.p90LatencyS)),
  unitsUsed: Math.max(...results.map((r) => r.unitsUsed)),
  polls: Math.max(...results.map((r) => r.polls)),
  missed: Math.max(...results.map((r) => r.missed)),
});
const round = (n: number, digits = 2) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);
console.table(Object.fromEntries(Object.entries(runs).map(([name, results]) => {
  const w = worst(results);
  return [name, { 'covered h': round(w.coveredHours), 'median latency s': round(w.medianLatencyS), 'p90 latency s': round(w.p90LatencyS), units: w.unitsUsed, polls: w.polls, missed: w.missed }];
})));
console.table(Object.fromEntries(SEEDS.map((seed, i) => {
  const r = runs.governor![i]!;
  return [`seed ${seed}`, { messages: r.messages, 'covered h': round(r.coveredHours), 'median s': round(r.medianLatencyS), 'p90 s': round(r.p90LatencyS), units: r.unitsUsed, 'left at end': r.remainingAtEnd, polls: r.polls }];
})));

const governor = worst(runs.governor!);
const fixedCoveredHours = Math.max(...runs['fixed 2 s']!.map((r) => r.coveredHours));
const cases = {
  governorCoveredHours: round(governor.coveredHours),
  fixedCoveredHours: round(fixedCoveredHours),
  governorMedianLatencyS: round(governor.medianLatencyS),
  governorUnitsUsed: governor.unitsUsed,
};
const ratios = { coverageVsFixed: round(cases.governorCoveredHours / cases.fixedCoveredHours) };
console.table(Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, { ratio: v }])));
console.log(`${SEEDS.length} seeds × ${Object.keys(strategies).length} strategies simulated in ${Math.round(elapsedMs)} ms`);
const goals = cases.governorCoveredHours >= STREAM_HOURS && cases.governorMedianLatencyS <= 10 && cases.governorUnitsUsed <= 10_000;
console.log(goals ? 'goals met: ≥ 8 h covered, median latency ≤ 10 s, ≤ 10,000 units' : 'GOALS MISSED');

const result = { name: 'youtube.budget', unit: 'mixed', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', 'youtube.budget.json'), `${JSON.stringify(result, null, 2)}\n`);
if (!goals) process.exitCode = 1;
