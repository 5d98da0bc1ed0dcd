import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CREATOR_ID_PATTERN } from '@streamsuites/kernel';
import { parseCommandArgs } from '../args.js';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import { ENV_EXAMPLE_FILE, GITIGNORE_FILE, gitignoreText, MANIFEST_FILE, renderEnvExample, writeScaffold } from '../init/files.js';
import { questions } from '../init/prompt.js';
import { DEFAULT_CREATORS, DEFAULT_FEATURES, DEFAULT_PLATFORMS, FEATURE_IDS, PLATFORM_IDS, scaffold, TEMPLATES } from '../init/templates.js';
import { printError, type CliIO } from '../io.js';

/** Editors read it offline: @streamsuites/config ships it and the install line below adds the package. */
const SCHEMA = './node_modules/@streamsuites/config/schemas/manifest.schema.json';

const list = (kind: 'platform' | 'feature') =>
  TEMPLATES.filter((t) => t.kind === kind)
    .map((t) => `                      ${t.id.padEnd(11)}${t.about}`)
    .join('\n');

export const initHelp = `Usage: streamsuites init [dir] [--platforms <list>] [--features <list>] [--creators <list>] [--yes] [--force]

Starts a project in <dir> (default: the current folder): writes
streamsuites.json (with "$schema", so editors complete and check it), a
.env.example with every \${env:NAME} the manifest references and where to
get each, and a .gitignore keeping .env and ./data out of git; then prints
the commands to run next. The manifest validates as written.

On a terminal it asks for what the flags do not say; otherwise (or with
--yes) it takes the defaults: --platforms ${DEFAULT_PLATFORMS.join(',')} --features ${DEFAULT_FEATURES.join(',')}
--creators ${DEFAULT_CREATORS.join(',')}.

Options:
  --platforms <list>  comma-separated, from:
${list('platform')}
  --features <list>   comma-separated ("none" for none), from:
${list('feature')}
  --creators <list>   comma-separated creator ids (lowercase letters, digits,
                      "_" and "-"); platform channel names default to them
  --yes               ask nothing, take the defaults for what flags omit
  --force             replace an existing streamsuites.json / .env.example
  -h, --help          show this help

Exit status: 0 written, 1 a file exists (without --force) or could not be
written, 2 usage error.
`;

function parseList(kind: string, text: string, allowed: readonly string[] | undefined, pattern?: RegExp): string[] {
  const items = [...new Set(text.split(/[\s,]+/).filter((s) => s !== ''))];
  if (allowed !== undefined && items.length === 1 && items[0] === 'none') return [];
  if (items.length === 0) throw new SS_ERR_CLI_USAGE(`init: name at least one of the ${kind}`);
  for (const item of items) {
    if (allowed !== undefined && !allowed.includes(item)) throw new SS_ERR_CLI_USAGE(`init: unknown ${kind.replace(/s$/, '')} "${item}" (one of: ${allowed.join(', ')})`);
    if (pattern !== undefined && !pattern.test(item)) {
      throw new SS_ERR_CLI_USAGE(`init: "${item}" is not a creator id (${CREATOR_ID_PATTERN}: lowercase letters, digits, "_" and "-")`);
    }
  }
  return items;
}

const CREATOR = new RegExp(CREATOR_ID_PATTERN);
const parsers = {
  platforms: (text: string) => {
    const ids = parseList('platforms', text, PLATFORM_IDS);
    if (ids.length === 0) throw new SS_ERR_CLI_USAGE('init: name at least one platform');
    return ids;
  },
  features: (text: string) => parseList('features', text, FEATURE_IDS),
  creators: (text: string) => parseList('creators', text, undefined, CREATOR),
};

/** Names a platform takes as is from the creator id: Twitch logins are 2-25 of [A-Za-z0-9_]. */
function checkCombination(platforms: readonly string[], creators: readonly string[]): void {
  if (!platforms.includes('twitch')) return;
  for (const id of creators) {
    if (!/^[a-zA-Z0-9_]{2,25}$/.test(id.replace(/-/g, '_'))) {
      throw new SS_ERR_CLI_USAGE(`init: creator id "${id}" does not make a Twitch login (2-25 letters, digits or "_"); pick a shorter id, or edit channel and botLogin afterwards`);
    }
  }
}

export async function initCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs(
    'init',
    argv,
    { platforms: { type: 'string' }, features: { type: 'string' }, creators: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, force: { type: 'boolean' } },
    { min: 0, max: 1, names: '[dir]' },
  );
  if (args.help) {
    io.stdout(initHelp);
    return 0;
  }
  const dir = resolve(io.cwd, args.positionals[0] ?? '.');
  const given = {
    platforms: args.values.platforms === undefined ? undefined : parsers.platforms(args.values.platforms as string),
    features: args.values.features === undefined ? undefined : parsers.features(args.values.features as string),
    creators: args.values.creators === undefined ? undefined : parsers.creators(args.values.creators as string),
  };
  const omitted = (Object.keys(given) as (keyof typeof given)[]).filter((k) => given[k] === undefined);
  let choices: { platforms: string[]; features: string[]; creators: string[] };
  if (omitted.length > 0 && io.stdin?.isTTY === true && args.values.yes !== true) {
    choices = await ask(io, given);
  } else {
    if (omitted.length > 0 && args.values.yes !== true) {
      io.stderr(`init: no terminal to ask on; taking the defaults for ${omitted.map((k) => `--${k}`).join(', ')} (pass them to choose)\n`);
    }
    choices = {
      platforms: given.platforms ?? [...DEFAULT_PLATFORMS],
      features: given.features ?? [...DEFAULT_FEATURES],
      creators: given.creators ?? [...DEFAULT_CREATORS],
    };
  }
  checkCombination(choices.platforms, choices.creators);

  const project = scaffold({ ...choices, schema: SCHEMA });
  let written: string[];
  try {
    written = await writeScaffold(
      dir,
      {
        [MANIFEST_FILE]: `${JSON.stringify(project.manifest, null, 2)}\n`,
        [ENV_EXAMPLE_FILE]: renderEnvExample(project.env),
        [GITIGNORE_FILE]: gitignoreText(dir),
      },
      args.values.force === true,
    );
  } catch (error) {
    printError(io, error);
    return 1;
  }

  const where = relative(io.cwd, dir);
  io.stdout(`✓ wrote ${written.join(', ')} in ${where === '' ? 'this folder' : where}\n`);
  io.stdout(`  platforms: ${choices.platforms.join(', ')}; features: ${choices.features.join(', ') || 'none'}; creators: ${choices.creators.join(', ')}\n`);
  const named = choices.platforms.filter((p) => p === 'twitch' || p === 'kick');
  if (named.length > 0) {
    // The channel is who the bot joins and answers: a guessed name must be checked before the first run.
    io.stdout(`  channel names are the creator ids: check creators.<id>.config.${named.join('/')}.channel${named.includes('twitch') ? ' and botLogin' : ''} in ${MANIFEST_FILE}\n`);
  }
  if (project.env.length > 0) io.stdout(`  ${project.env.length} variable(s) to fill in: ${project.env.map(([name]) => name).join(', ')}\n`);
  io.stdout('\nNext:\n');
  const next: string[] = [];
  if (where !== '') next.push(`cd ${where.includes(' ') ? JSON.stringify(where) : where}`);
  const missing = notInstalled(dir, ['@streamsuites/config', ...project.packages]);
  if (missing.length > 0) next.push(`npm install ${missing.join(' ')}`);
  if (project.env.length > 0) next.push(`cp ${ENV_EXAMPLE_FILE} .env   # then fill in each value: streamsuites reads ./.env`);
  next.push(...project.setup);
  next.push(`npx streamsuites validate ${MANIFEST_FILE}`, `npx streamsuites run ${MANIFEST_FILE}`);
  io.stdout(`${next.map((line) => `  ${line}\n`).join('')}`);
  return 0;
}

/** The questions the flags left open, each re-asked until its answer is valid. */
async function ask(io: CliIO, given: { platforms?: string[]; features?: string[]; creators?: string[] }) {
  const q = questions(io.stdin!, io.stdout);
  try {
    const platforms = given.platforms ?? (await q.ask(`Platforms (${PLATFORM_IDS.join(', ')})`, DEFAULT_PLATFORMS.join(','), parsers.platforms));
    const features = given.features ?? (await q.ask(`Features (${FEATURE_IDS.join(', ')}, or none)`, DEFAULT_FEATURES.join(','), parsers.features));
    const creators =
      given.creators ??
      (await q.ask('Creators (comma-separated ids)', DEFAULT_CREATORS.join(','), (text) => {
        const ids = parsers.creators(text);
        checkCombination(platforms, ids);
        return ids;
      }));
    return { platforms, features, creators };
  } finally {
    q.close();
  }
}

/**
 * The packages not installed in `dir` or a folder above it (an installed
 * project gets no install line). Looked up by hand: require.resolve would
 * also follow NODE_PATH, which package-manager shims set to their own store.
 */
function notInstalled(dir: string, packages: readonly string[]): string[] {
  return packages.filter((name) => {
    for (let at = dir; ; at = dirname(at)) {
      if (existsSync(join(at, 'node_modules', name, 'package.json'))) return false;
      if (dirname(at) === at) return true;
    }
  });
}
