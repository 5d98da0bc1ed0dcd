import { relative, resolve } from 'node:path';
import { buildStaticDashboard, normalizeFallbackStateRoot } from '@streamsuites/dashboard';
import { parseCommandArgs } from '../args.js';
import type { CliIO } from '../io.js';

export const dashboardBuildHelp = `Usage: streamsuites dashboard build <dir> [--fallback-url <url>] [--force]

Writes the dashboard page as static files for any static host (GitHub Pages,
a bucket, any web server): <dir>/index.html, <dir>/assets/… and
<dir>/.nojekyll, nothing else. The page finds its state root in this order:
  1. ?stateRoot=<url>/ in its address (remembered in the browser)
  2. state published beside it: <dir>/shared/state/runtime_snapshot.json,
     e.g. with: streamsuites publish-state --target <dir>
  3. --fallback-url, when given

Options:
  --fallback-url <url>  absolute http(s) URL of a state root to read when no
                        state is published beside the page (the folder that
                        holds shared/ and runtime/; another origin must send
                        Access-Control-Allow-Origin)
  --force               replace everything in <dir> when it is not empty
  -h, --help            show this help

A static host serves every published file to anyone: publish-state copies
dashboard-only files too (chat, jobs, quotas). Internal-only files are never
published.
Exit status: 0 written, 1 failed, 2 usage error.
`;

export async function dashboardBuildCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs(
    'dashboard build',
    argv,
    { 'fallback-url': { type: 'string' }, force: { type: 'boolean' } },
    { min: 1, max: 1, names: '<dir> (the folder to write the page to)' },
  );
  if (args.help) {
    io.stdout(dashboardBuildHelp);
    return 0;
  }
  const fallback = args.values['fallback-url'] as string | undefined;
  const outDir = resolve(io.cwd, args.positionals[0]!);
  const result = await buildStaticDashboard({
    outDir,
    ...(fallback === undefined ? {} : { fallbackStateRoot: fallback }),
    force: args.values.force === true,
  });
  const shown = relative(io.cwd, result.outDir) || '.';
  const dir = shellWord(shown.startsWith('..') ? result.outDir : shown);
  io.stdout(`Wrote the static dashboard to ${result.outDir} (${result.files.length} files):\n`);
  for (const file of result.files) io.stdout(`  ${file}\n`);
  const order = ['?stateRoot=<url>/', `${dir}/shared/ + runtime/ beside index.html`];
  if (fallback !== undefined) order.push(normalizeFallbackStateRoot(fallback));
  io.stdout(
    [
      '',
      `The page reads its state from ${order.join(', else ')}${fallback === undefined ? ' (no --fallback-url)' : ''}.`,
      'Next:',
      `  publish the state beside it:  streamsuites publish-state --target ${dir}`,
      `  open it locally:              python3 -m http.server --bind 127.0.0.1 --directory ${dir} 8080, then http://127.0.0.1:8080/`,
      '                                (not from disk: browsers do not run the page\'s modules from file://)',
      '  host it:                      upload the folder as it is (GitHub Pages: as the site\'s root, .nojekyll included)',
      '',
    ].join('\n'),
  );
  return 0;
}

/** A path as one shell word, for the commands printed above. */
function shellWord(path: string): string {
  return /^[\w./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
