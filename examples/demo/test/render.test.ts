import { describe, expect, it } from 'vitest';
import { clean, clock, renderBar, renderScreen, renderStatusLine, textWidth } from '../src/view/render.js';
import type { ViewState } from '../src/view/state.js';
import { formatDegraded, formatSummary, formatTwitchEvents, type DemoSummary } from '../src/summary.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function state(overrides: Partial<ViewState> = {}): ViewState {
  return {
    now: T0 + 42_000,
    startedAt: T0,
    phase: 'running',
    rows: [
      { creatorId: 'daniel', platform: 'twitch', status: 'connected', messages: 175, ratePerSec: 3.94, triggers: 15, errors: 0 },
      { creatorId: 'maya', platform: 'twitch', status: 'connecting', messages: 0, ratePerSec: 0, triggers: 0, errors: 0 },
      { creatorId: 'sol', platform: 'twitch', status: 'failed', messages: 3, ratePerSec: 0.2, triggers: 1, errors: 2 },
    ],
    totals: { messages: 178, triggers: 16, actions: { executed: 14, dryRun: 1, failed: 1, cancelled: 0 }, errors: 3 },
    recent: [
      { at: T0 + 40_000, kind: 'trigger', creatorId: 'daniel', text: 'trigger hello fired by viewer_anna' },
      { at: T0 + 40_010, kind: 'action', creatorId: 'daniel', text: 'chat.reply "hello viewer_anna"' },
      { at: T0 + 41_000, kind: 'error', creatorId: 'sol', text: 'plugin twitch start failed: SS_ERR_X boom' },
    ],
    limits: {
      source: 'rate-limits',
      bars: [
        { label: 'twitch:send:bot:mod:daniel', used: 50, capacity: 100, note: 'per 30 s' },
        { label: 'twitch:send:bot', used: 20, capacity: 20, note: 'per 30 s, 3 waiting' },
      ],
    },
    dashboardUrl: 'http://127.0.0.1:8787/',
    exportsRoot: 'examples/demo/demo-state',
    exportFiles: 18,
    logFile: 'examples/demo/data/demo.log',
    lastError: 'sol: plugin twitch start failed: SS_ERR_X boom',
    ...overrides,
  };
}

const lines = (text: string) => text.split('\n');

describe('renderScreen', () => {
  it('shows the header, the dashboard URL, a row per creator and platform, totals, limits and the last actions', () => {
    const text = renderScreen(state(), { width: 120 });
    expect(lines(text)[0]).toBe('StreamSuites demo · running 0:42 · 3 creators · Ctrl-C to stop');
    expect(text).toContain('Dashboard  http://127.0.0.1:8787/  18 snapshot files in examples/demo/demo-state');
    expect(text).toContain('Logs       examples/demo/data/demo.log');
    expect(text).toMatch(/CREATOR +PLATFORM +STATUS +MSGS +MSG\/S +TRIGGERS +ERRORS/);
    expect(text).toMatch(/daniel +twitch +● connected +175 +3\.9 +15 +0/);
    expect(text).toMatch(/maya +twitch +○ connecting +0 +0\.0 +0 +0/);
    expect(text).toMatch(/sol +twitch +✖ failed +3 +0\.2 +1 +2/);
    expect(text).toContain('Totals     178 messages · 16 triggers fired · 3 errors');
    expect(text).toContain('Actions    14 executed · 1 dry-run · 1 failed');
    expect(text).not.toContain('cancelled');
    expect(text).toContain('Last error sol: plugin twitch start failed: SS_ERR_X boom');
    expect(text).toContain('Rate limits');
    expect(text).toMatch(/twitch:send:bot:mod:daniel +\[██████████░░░░░░░░░░\] 50\/100  per 30 s/);
    expect(text).toMatch(/twitch:send:bot +\[████████████████████\] 20\/20  per 30 s, 3 waiting/);
    // Newest first.
    const activity = lines(text).slice(lines(text).indexOf('Last actions') + 1);
    expect(activity).toHaveLength(3);
    expect(activity[0]).toMatch(/sol +plugin twitch start failed/);
    expect(activity[1]).toMatch(/daniel +chat\.reply "hello viewer_anna"/);
    expect(activity[2]).toMatch(/daniel +trigger hello fired by viewer_anna/);
  });

  it('has no escape sequences without colour, and colours with it', () => {
    expect(renderScreen(state(), { width: 120 })).not.toContain('\x1b');
    const coloured = renderScreen(state(), { width: 120, color: true });
    expect(coloured).toContain('\x1b[32m● connected');
    expect(coloured).toContain('\x1b[31m✖ failed');
  });

  it('fits the usual 80 columns: numbers and limits stay whole, the bars get shorter', () => {
    const long = state({
      limits: {
        source: 'rate-limits',
        bars: [
          { label: 'twitch:send:streamsuites_demo', used: 0, capacity: 20, note: 'per 30 s' },
          { label: 'twitch:send:streamsuites_demo:mod:daniel', used: 50, capacity: 100, note: 'per 30 s' },
        ],
      },
      totals: { messages: 12345, triggers: 678, actions: { executed: 600, dryRun: 0, failed: 3, cancelled: 2 }, errors: 5 },
    });
    const text = renderScreen(long, { width: 80 });
    for (const line of lines(text)) expect(textWidth(line)).toBeLessThanOrEqual(80);
    expect(text).toContain('Totals     12345 messages · 678 triggers fired · 5 errors');
    expect(text).toContain('Actions    600 executed · 0 dry-run · 3 failed · 2 cancelled at stop');
    expect(text).toMatch(/twitch:send:streamsuites_demo:mod:daniel \[█+░+\] 50\/100  per 30 s$/m);
    expect(text).toMatch(/CREATOR.*ERRORS$/m);
  });

  it('cuts every line to the width and drops the oldest activity first when the terminal is short', () => {
    const narrow = renderScreen(state(), { width: 40 });
    for (const line of lines(narrow)) expect(textWidth(line)).toBeLessThanOrEqual(40);
    expect(narrow).toContain('…');

    const full = lines(renderScreen(state(), { width: 120 }));
    const short = lines(renderScreen(state(), { width: 120, height: full.length - 2 }));
    expect(short).toHaveLength(full.length - 2);
    expect(short.join('\n')).toContain('plugin twitch start failed'); // the newest activity stays
    expect(short.join('\n')).not.toContain('trigger hello fired'); // the oldest goes
  });

  it('counts wide characters (emoji) as two columns when cutting', () => {
    const text = renderScreen(
      state({ recent: [{ at: T0, kind: 'action', creatorId: 'daniel', text: `chat.reply "${'GG! 🎉 '.repeat(20)}"` }] }),
      { width: 60 },
    );
    for (const line of lines(text)) expect(textWidth(line)).toBeLessThanOrEqual(60);
  });

  it('says why the dashboard is not on the preferred port', () => {
    expect(renderScreen(state({ dashboardUrl: 'http://127.0.0.1:40123/', dashboardNote: 'port 8787 is in use' }), { width: 120 })).toContain(
      'Dashboard  http://127.0.0.1:40123/ (port 8787 is in use)  18 snapshot files',
    );
  });

  it('says what it waits for before the first snapshots, and why there is no dashboard when it failed', () => {
    const { dashboardUrl: _url, ...rest } = state();
    expect(renderScreen(rest)).toContain('Dashboard  waiting for the first snapshots…');
    expect(renderScreen({ ...rest, dashboardProblem: 'SS_ERR_DASHBOARD_ASSETS_MISSING: gone' })).toContain(
      'Dashboard  not served: SS_ERR_DASHBOARD_ASSETS_MISSING: gone',
    );
  });

  it('shows quota bars, with the buffer, when quotas are configured', () => {
    const text = renderScreen(
      state({
        limits: {
          source: 'quotas',
          bars: [{ label: 'daniel youtube', used: 2500, capacity: 10_000, reserved: 500, note: 'day 2026-01-01 America/Los_Angeles' }],
        },
      }),
      { width: 120 },
    );
    expect(text).toContain('Quotas');
    expect(text).toMatch(/daniel youtube \[█████░░░░░░░░░░░░░░▒\] 2500\/10000  day 2026-01-01 America\/Los_Angeles/);
    expect(text).not.toContain('Rate limits');
  });

  it('counts down with --duration, and says so while nothing happened yet', () => {
    const text = renderScreen(state({ durationSec: 60, recent: [], limits: { source: 'none', bars: [] } }));
    expect(lines(text)[0]).toContain('stops in 0:18');
    expect(text).toContain('no quota or rate limit in use yet');
    expect(text).toContain('nothing yet');
  });

  it('neutralizes control characters coming from chat', () => {
    const text = renderScreen(state({ recent: [{ at: T0, kind: 'trigger', creatorId: 'maya', text: 'trigger by \x1b[2Jevil\nline' }] }));
    expect(text).not.toContain('\x1b');
    expect(text).toContain('trigger by ?[2Jevil line');
  });
});

describe('renderStatusLine', () => {
  it('is one plain line with every row, totals, the busiest limit and the dashboard', () => {
    const line = renderStatusLine(state());
    expect(line).not.toContain('\n');
    expect(line).not.toContain('\x1b');
    expect(line).toBe(
      '[demo 0:42 running] | daniel/twitch connected 175 msgs 3.9/s 15 triggers | maya/twitch connecting 0 msgs 0.0/s 0 triggers' +
        ' | sol/twitch failed 3 msgs 0.2/s 1 triggers | triggers 16 | actions 14 executed 1 dry-run 1 failed' +
        ' | rate limit 20/20 twitch:send:bot | errors 3 | dashboard http://127.0.0.1:8787/',
    );
  });
});

describe('helpers', () => {
  it('renderBar fills by ratio and clamps', () => {
    expect(renderBar(0, 10, 10)).toBe('[░░░░░░░░░░]');
    expect(renderBar(5, 10, 10)).toBe('[█████░░░░░]');
    expect(renderBar(15, 10, 10)).toBe('[██████████]');
    expect(renderBar(0, 10, 10, 2)).toBe('[░░░░░░░░▒▒]');
    expect(renderBar(9, 10, 10, 2)).toBe('[█████████▒]');
    expect(renderBar(1, 0, 4)).toBe('[    ]');
  });

  it('clock formats m:ss and h:mm:ss', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(61_500)).toBe('1:01');
    expect(clock(3_723_000)).toBe('1:02:03');
  });

  it('clean replaces control characters', () => {
    expect(clean('a\x07b\x1bc\u202ed')).toBe('a?b?c?d');
  });
});

describe('the summary line', () => {
  const summary = (overrides: Partial<DemoSummary> = {}): DemoSummary => ({
    seconds: 20.04,
    creators: ['daniel', 'maya'],
    messages: new Map([['daniel', 80], ['maya', 120]]),
    triggersFired: 7,
    actions: { executed: 6, dryRun: 1, failed: 0, cancelled: 0 },
    replies: 5,
    heartbeats: new Map([['daniel', 20], ['maya', 20]]),
    exportFiles: 18,
    exportsRoot: 'demo-state',
    errors: 0,
    ...overrides,
  });
  const period = (platform: string, creatorId: string, durationMs: number, reason?: string, open = false) => ({
    creatorId,
    platform,
    since: T0,
    ...(open ? {} : { until: T0 + durationMs }),
    durationMs,
    ...(reason === undefined ? {} : { reason }),
    long: durationMs >= 15_000,
  });

  it('says nothing about degraded periods when there were none', () => {
    expect(formatSummary(summary())).not.toContain('degraded');
    expect(formatSummary(summary({ degraded: [] }))).toMatch(/heartbeats daniel=20 maya=20, 18 export files in demo-state, 0 error\(s\)$/);
  });

  it('counts messages per creator and platform after the per-creator counts', () => {
    const line = formatSummary(summary({ platforms: new Map([['daniel/twitch', 80], ['maya/twitch', 50], ['maya/youtube', 30]]) }));
    expect(line).toMatch(/, messages [^,]+, platforms daniel\/twitch=80 maya\/twitch=50 maya\/youtube=30, /);
  });

  it('says which creator and platform the published clips came from, and counts Rumble rants with their total', () => {
    const line = formatSummary(
      summary({
        rumbleRants: { count: 2, amountMicros: 7_500_000 },
        clips: new Map([['sol/rumble', 1], ['daniel/twitch', 2]]),
        clipsDir: 'clips',
      }),
    );
    expect(line).toMatch(/, 5 replies received by the chat server, 2 Rumble rant\(s\) \(\$7\.50\), 3 clips published in clips \(daniel\/twitch=2 sol\/rumble=1\), heartbeats /);
    // No clips: the count alone; no Rumble creator: no rant part.
    const none = formatSummary(summary({ clips: new Map(), clipsDir: 'clips' }));
    expect(none).toContain(', 0 clips published in clips, heartbeats ');
    expect(none).not.toContain('Rumble');
  });

  it('counts the Twitch channel events, the triggers they fired and the redemptions fulfilled, after the replies', () => {
    const twitchEvents = { received: { follow: 2, raid: 3, redemption: 1 }, triggered: { follow: 2, raid: 1, redemption: 1 }, fulfilled: 1 };
    expect(formatTwitchEvents(twitchEvents)).toBe('twitch events follow=2 raid=3 redemption=1 (triggered follow=2 raid=1 redemption=1; 1 fulfilled)');
    const line = formatSummary(summary({ twitchEvents, youtubeUnits: 7 }));
    expect(line).toMatch(
      /, 5 replies received by the chat server, twitch events follow=2 raid=3 redemption=1 \(triggered follow=2 raid=1 redemption=1; 1 fulfilled\), 7 YouTube quota units, /,
    );
    // None at all still says so; no creator subscribing to channel events: no part.
    const none = { received: { follow: 0, raid: 0, redemption: 0 }, triggered: { follow: 0, raid: 0, redemption: 0 }, fulfilled: 0 };
    expect(formatSummary(summary({ twitchEvents: none }))).toContain(', twitch events follow=0 raid=0 redemption=0 (triggered follow=0 raid=0 redemption=0; 0 fulfilled), ');
    expect(formatSummary(summary())).not.toContain('twitch events');
  });

  it('X posts: how many, the first one quoted on one line', () => {
    const line = formatSummary(summary({ xPosts: ['Maya is live on youtube: Cozy, chill; stream https://youtube.com/x', 'second'] }));
    expect(line).toContain(', 2 X post(s) ("Maya is live on youtube: Cozy chill stream https://youtube.c"), ');
    expect(formatSummary(summary({ xPosts: [] }))).toContain(', 0 X post(s), ');
    expect(formatSummary(summary())).not.toContain('X post');
  });

  it('lists the degraded periods before the error count, which still ends the line', () => {
    const line = formatSummary(summary({ degraded: [period('youtube', 'maya', 62_400, 'invalidPageToken')], errors: 1 }));
    expect(line).toMatch(/, 1 degraded period \(maya\/youtube 62 s: invalidPageToken\), 1 error\(s\)$/);
    const brief = formatSummary(summary({ degraded: [period('twitch', 'daniel', 3_000, 'Connection closed.')] }));
    expect(brief).toMatch(/, 1 degraded period \(daniel\/twitch 3\.0 s: Connection closed\.\), 0 error\(s\)$/);
  });

  it('longest first, at most three, the rest counted; reasons cannot break the comma-separated line', () => {
    const text = formatDegraded([
      period('twitch', 'daniel', 2_000),
      period('youtube', 'maya', 30_000, 'quota, exhausted; wait', true),
      period('twitch', 'sol', 4_500, 'Connection closed.'),
      period('twitch', 'maya', 1_000),
    ]);
    expect(text).toBe('4 degraded periods (maya/youtube 30 s so far: quota exhausted wait; sol/twitch 4.5 s: Connection closed.; daniel/twitch 2.0 s; +1 more)');
    expect(text).not.toContain(',');
  });
});
