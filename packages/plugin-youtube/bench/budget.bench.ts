// Benchmark: the YouTube quota budget governor on simulated 12-hour streams
// (issue 22): seeded bursty chat, 10,000 units a day, 5 units a poll or a
// streamList connection, one 50-unit reply and four discovery checks an hour,
// the governor with the plugin's config defaults (12 h, reserve 600).
//   polling:   liveChatMessages.list, the server's 2–5 s pollingIntervalMillis;
//   streaming: liveChatMessages.streamList, each connection paid when it opens,
//              closed by the server after 8–12 s ("about 10 seconds" in the
//              reference), messages pushed 0.2–1 s after they are said.
// Baselines: the governor without the activity factor, fixed 2 s polling, and
// the earlier defaults (8-hour plan, factor 0.5..2 on a 30 s average).
// Figures are the worst over ten seeds: the fewest covered hours, the highest
// latency, the most units; for fixed polling the most hours. Governor runs
// are paid even past the day's units and counted (overLimit 'count'), so
// "within 10,000" is the governor's doing, not the simulator refusing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { BudgetGovernor, type BudgetGovernorOptions } from '../src/budget/governor.js';
import { fixedIntervalStrategy, type PollingStrategy, type SimulationOptions, type SimulationResult, simulateStream } from '../src/budget/simulate.js';
import { BUDGET_DEFAULTS } from '../src/config.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const STREAM_HOURS = 12;
const DAILY_UNITS = 10_000;
const GOALS = { coveredHours: STREAM_HOURS, pollingMedianLatencyS: 8, streamingMedianLatencyS: 1 };
const options: BudgetGovernorOptions = { ...BUDGET_DEFAULTS, pollCost: 5 };
const counted: SimulationOptions = { streamHours: STREAM_HOURS, dailyUnits: DAILY_UNITS, overLimit: 'count' };

const runs: Record<string, { make: () => PollingStrategy; sim: SimulationOptions }> = {
  'governor, polling': { make: () => new BudgetGovernor(options), sim: counted },
  'governor, streamList': { make: () => new BudgetGovernor(options), sim: { ...counted, transport: 'stream' } },
  'governor, activity-blind': { make: () => new BudgetGovernor({ ...options, activityExponent: 0 }), sim: counted },
  'governor, earlier defaults': {
    make: () => new BudgetGovernor({ ...options, expectedStreamHours: 8, minActivityFactor: 0.5, maxActivityFactor: 2, fastTauMs: 30_000, activityBalance: 0 }),
    sim: counted,
  },
  // Fixed polling is refused past the day's units, as Google does (counted, it would "cover" the stream at 3x the units).
  'fixed 2 s': { make: () => fixedIntervalStrategy(2000), sim: { streamHours: STREAM_HOURS, dailyUnits: DAILY_UNITS } },
  'fixed 2 s, server floor': { make: () => fixedIntervalStrategy(2000, { honorServerMin: true }), sim: { streamHours: STREAM_HOURS, dailyUnits: DAILY_UNITS } },
};

const started = process.hrtime.bigint();
const results: Record<string, SimulationResult[]> = {};
for (const [name, run] of Object.entries(runs)) results[name] = SEEDS.map((seed) => simulateStream(run.make(), { ...run.sim, seed }));
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

const max = (values: number[]) => Math.max(...values);
const min = (values: number[]) => Math.min(...values);
const worst = (rs: SimulationResult[]) => ({
  coveredHours: min(rs.map((r) => r.coveredHours)),
  medianLatencyS: max(rs.map((r) => r.medianLatencyS)),
  p90LatencyS: max(rs.map((r) => r.p90LatencyS)),
  unitsUsed: max(rs.map((r) => r.unitsUsed)),
  unitsInADay: max(rs.flatMap((r) => r.unitsByDay)),
  overLimitSpends: max(rs.map((r) => r.overLimitSpends)),
  polls: max(rs.map((r) => r.polls)),
  missed: max(rs.map((r) => r.missed)),
});
const round = (n: number, digits = 2) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

console.log(`${STREAM_HOURS}-hour streams on ${DAILY_UNITS.toLocaleString('en-US')} units, worst of ${SEEDS.length} seeds:`);
console.table(Object.fromEntries(Object.entries(results).map(([name, rs]) => {
  const w = worst(rs);
  return [name, { 'covered h': round(w.coveredHours), 'median latency s': round(w.medianLatencyS), 'p90 latency s': round(w.p90LatencyS), units: w.unitsUsed, 'polls/connections': w.polls, missed: w.missed }];
})));
console.log('governor per seed (polling | streamList):');
console.table(Object.fromEntries(SEEDS.map((seed, i) => {
  const p = results['governor, polling']![i]!;
  const s = results['governor, streamList']![i]!;
  return [`seed ${seed}`, {
    messages: p.messages,
    'poll median s': round(p.medianLatencyS),
    'poll p90 s': round(p.p90LatencyS),
    'poll units': p.unitsUsed,
    'stream open median s': round(s.stream!.openMedianLatencyS),
    'stream median s': round(s.medianLatencyS),
    'said while open': round(s.stream!.openShare),
    'stream units': s.unitsUsed,
  }];
})));

const polling = worst(results['governor, polling']!);
const streamingRuns = results['governor, streamList']!;
const streaming = worst(streamingRuns);
const blind = worst(results['governor, activity-blind']!);
const fixedCoveredHours = max(results['fixed 2 s']!.map((r) => r.coveredHours));
const cases = {
  // What issue 22 asks for, polling: a 12-hour stream on 10,000 units, median latency.
  pollingCoveredH: round(polling.coveredHours),
  pollingMedianLatencyS: round(polling.medianLatencyS),
  pollingP90LatencyS: round(polling.p90LatencyS),
  pollingUnits: polling.unitsUsed,
  pollingPolls: polling.polls,
  // Streaming: median latency of the messages said while a connection is open.
  streamingMedianLatencyS: round(max(streamingRuns.map((r) => r.stream!.openMedianLatencyS))),
  streamingP90LatencyS: round(max(streamingRuns.map((r) => r.stream!.openP90LatencyS))),
  streamingAllMedianLatencyS: round(streaming.medianLatencyS),
  streamingOpenShare: round(min(streamingRuns.map((r) => r.stream!.openShare))),
  streamingCoveredH: round(streaming.coveredHours),
  streamingUnits: streaming.unitsUsed,
  streamingConnections: streaming.polls,
  activityBlindMedianLatencyS: round(blind.medianLatencyS),
  fixedCoveredHours: round(fixedCoveredHours),
  // The labels of the 8-hour bench, now on the 12-hour stream (the same figures as polling*).
  governorCoveredHours: round(polling.coveredHours),
  governorMedianLatencyS: round(polling.medianLatencyS),
  governorUnitsUsed: polling.unitsUsed,
};
const ratios = {
  coverageVsFixed: round(cases.pollingCoveredH / cases.fixedCoveredHours),
  latencyVsActivityBlind: round(cases.activityBlindMedianLatencyS / cases.pollingMedianLatencyS),
};
console.table(Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, { ratio: v }])));
console.log(`${SEEDS.length} seeds × ${Object.keys(runs).length} strategies simulated in ${Math.round(elapsedMs)} ms`);

const withinTheDay = (w: ReturnType<typeof worst>) => w.overLimitSpends === 0 && w.unitsInADay <= DAILY_UNITS;
const goals = {
  [`polling: ≥ ${GOALS.coveredHours} h covered`]: cases.pollingCoveredH >= GOALS.coveredHours,
  [`polling: median latency ≤ ${GOALS.pollingMedianLatencyS} s`]: cases.pollingMedianLatencyS <= GOALS.pollingMedianLatencyS,
  [`polling: ≤ ${DAILY_UNITS.toLocaleString('en-US')} units a day`]: withinTheDay(polling),
  [`streamList: median latency ≤ ${GOALS.streamingMedianLatencyS} s while open`]: cases.streamingMedianLatencyS <= GOALS.streamingMedianLatencyS,
  [`streamList: ≥ ${GOALS.coveredHours} h covered`]: cases.streamingCoveredH >= GOALS.coveredHours,
  [`streamList: ≤ ${DAILY_UNITS.toLocaleString('en-US')} units a day`]: withinTheDay(streaming),
};
const missed = Object.entries(goals).filter(([, met]) => !met).map(([goal]) => goal);
console.log(missed.length === 0 ? `goals met: ${Object.keys(goals).join('; ')}` : `GOALS MISSED: ${missed.join('; ')}`);

const result = { name: 'youtube.budget', unit: 'mixed', cases, ratios, machine: { cpus: availableParallelism(), node: process.version } };
mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', 'youtube.budget.json'), `${JSON.stringify(result, null, 2)}\n`);
if (missed.length > 0) process.exitCode = 1;
