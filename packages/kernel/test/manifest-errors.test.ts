import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Settings } from 'typebox/system';
import {
  defineManifestSection,
  inspectManifest,
  SS_ERR_PLUGIN_NOT_INSTALLED,
  Type,
  type LoadManifestOptions,
  type ManifestIssue,
  type PluginCatalog,
} from '../src/index.js';
import { MAX_SCHEMA_ERRORS, schemaIssues } from '../src/manifest/issues.js';
import { sectionPlugin } from './helpers/plugins.js';
import { pluginPackage, tempTree } from './helpers/tmp.js';

/**
 * The packages a host trusts, for hints (the CLI passes the official list of
 * @streamsuites/defaults; the kernel alone knows none).
 */
const CATALOG: PluginCatalog = {
  packages: ['@streamsuites/plugin-twitch', '@streamsuites/plugin-youtube'],
  plugins: { twitch: '@streamsuites/plugin-twitch', youtube: '@streamsuites/plugin-youtube' },
};

/** A plugin claiming `creators.<id>.dryRun` (as the default action dispatcher does), so these tests need no defaults. */
const flags = sectionPlugin('flags', defineManifestSection({ key: 'dryRun', scope: 'creator', schema: Type.Boolean() }));

async function inspectFile(files: Record<string, string>, manifest: unknown, env: Record<string, string> = {}, options: LoadManifestOptions = {}) {
  const dir = await tempTree({ ...files, 'streamsuites.json': JSON.stringify(manifest, null, 2) });
  return inspectManifest(join(dir, 'streamsuites.json'), { env, ...options });
}

const summary = (issues: ManifestIssue[]) => issues.map((i) => [i.code, i.path]);

describe('manifest errors: one root cause, one error, with a did-you-mean', () => {
  it('a misspelt package is one error suggesting the catalog\'s name, never "pnpm add" of the misspelt one', async () => {
    const manifest = {
      plugins: {
        twitch: { package: '@streamsuites/plugin-twich' },
        hello: { package: '@fixture/plugin-hello' },
      },
      creators: {
        daniel: { enable: ['hello', 'twitch'], config: { hello: { channel: 'daniel' }, twitch: { channel: 'daniel' } } },
      },
    };
    const result = await inspectFile(pluginPackage('@fixture/plugin-hello', 'hello'), manifest, {}, { catalog: CATALOG });
    expect(summary(result.issues)).toEqual([['SS_ERR_PLUGIN_NOT_INSTALLED', '/plugins/twitch/package']]);
    expect(result.issues[0]!.hint).toBe('Check the spelling. Did you mean "@streamsuites/plugin-twitch"?');
    expect(JSON.stringify(result.issues)).not.toContain('pnpm add');
    // The kernel alone knows no package: nothing to suggest, and still no install command.
    const alone = await inspectFile(pluginPackage('@fixture/plugin-hello', 'hello'), manifest);
    expect(alone.issues.map((i) => i.hint)).toEqual([
      'Check the spelling: this is not a known StreamSuites package, and a third-party plugin must be installed next to the manifest first.',
    ]);
  });

  it('a catalog package that is not installed gets the install command; without the catalog it does not', async () => {
    const manifest = { plugins: { youtube: { package: '@streamsuites/plugin-youtube' } }, creators: {} };
    const result = await inspectFile({}, manifest, {}, { catalog: CATALOG });
    expect(result.issues).toMatchObject([
      { code: 'SS_ERR_PLUGIN_NOT_INSTALLED', hint: 'Install it next to the manifest: pnpm add @streamsuites/plugin-youtube' },
    ]);
    const alone = await inspectFile({}, manifest);
    expect(alone.issues).toMatchObject([{ code: 'SS_ERR_PLUGIN_NOT_INSTALLED', path: '/plugins/youtube/package' }]);
    expect(JSON.stringify(alone.issues)).not.toContain('pnpm add');
  });

  it('a package that is installed but exports no entry point is SS_ERR_PLUGIN_LOAD_FAILED, not "not installed"', async () => {
    const result = await inspectFile(
      {
        'node_modules/no-root/package.json': JSON.stringify({ name: 'no-root', type: 'module', exports: { './sub': './sub.js' } }),
        'node_modules/no-root/sub.js': 'export default 1;',
      },
      { plugins: { a: { package: 'no-root' } }, creators: {} },
    );
    expect(result.issues).toMatchObject([{ code: 'SS_ERR_PLUGIN_LOAD_FAILED', message: expect.stringContaining('is installed but exports no entry point') }]);
  });

  it('the SS_ERR_PLUGIN_NOT_INSTALLED error class never hints "pnpm add" (only the loader does, for catalog names)', () => {
    // The class cannot tell a known name from a misspelt one: the install command comes from the loader and its catalog.
    expect(new SS_ERR_PLUGIN_NOT_INSTALLED('@streamsuites/plugin-twitch', '/srv').hint).toBe(
      'Check the spelling of the package name, and install it next to the manifest.',
    );
    expect(new SS_ERR_PLUGIN_NOT_INSTALLED('@streamsuites/plugin-twich', '/srv').hint).not.toContain('pnpm add');
  });

  it('a misspelt third-party package suggests the installed one; an unknown one only says to check the spelling', async () => {
    const result = await inspectFile(
      pluginPackage('@acme/plugin-hello', 'hello'),
      { plugins: { hello: { package: '@acme/plugin-helo' }, deck: { package: '@acme/streamdeck-bridge' } }, creators: {} },
      {},
      { catalog: CATALOG },
    );
    expect(result.issues.map((i) => i.hint)).toEqual([
      'Check the spelling. Did you mean "@acme/plugin-hello"?',
      'Check the spelling: this is not a known StreamSuites package, and a third-party plugin must be installed next to the manifest first.',
    ]);
  });

  it('a misspelt enable entry suggests the declared id', async () => {
    const result = await inspectFile(pluginPackage('@fixture/plugin-twitch', 'twitch'), {
      plugins: { twitch: { package: '@fixture/plugin-twitch' } },
      creators: { daniel: { enable: ['twtich'] } },
    });
    expect(summary(result.issues)).toEqual([['SS_ERR_MANIFEST_UNKNOWN_PLUGIN', '/creators/daniel/enable/0']]);
    expect(result.issues[0]!.hint).toBe('Check the id. Did you mean "twitch"?');
  });

  it('a misspelt enable entry and config key: one error per place, each with its suggestion', async () => {
    const result = await inspectFile(pluginPackage('@fixture/plugin-twitch', 'twitch'), {
      plugins: { twitch: { package: '@fixture/plugin-twitch' } },
      creators: {
        daniel: { enable: ['twitch'], config: { twitch: { channel: 'daniel' }, twich: {} } },
        maya: { enable: ['twtich'], config: { twtich: { channel: 'maya' } } },
      },
    });
    expect(result.issues.map((i) => [i.path, i.hint])).toEqual([
      ['/creators/daniel/config/twich', 'Check the key. Did you mean "twitch"?'],
      // The same id in enable and config is one mistake, reported once, at enable.
      ['/creators/maya/enable/0', 'Check the id here and in "config". Did you mean "twitch"?'],
    ]);
  });

  it('an id listed twice in enable has its config checked, and is reported, once', async () => {
    const result = await inspectFile(pluginPackage('@fixture/plugin-twitch', 'twitch'), {
      plugins: { twitch: { package: '@fixture/plugin-twitch' } },
      creators: { daniel: { enable: ['twitch', 'twitch', 'ghost', 'ghost'], config: { twitch: { channel: 42 } } } },
    });
    expect(summary(result.issues).filter(([code]) => code !== 'SS_ERR_MANIFEST_SCHEMA')).toEqual([
      ['SS_ERR_MANIFEST_UNKNOWN_PLUGIN', '/creators/daniel/enable/2'],
      ['SS_ERR_CONFIG_INVALID', '/creators/daniel/config/twitch/channel'],
    ]);
  });

  it('an id nobody declared and no declared id resembles: how to declare it (the catalog\'s package when it has one)', async () => {
    const manifest = { creators: { daniel: { enable: ['youtube', 'discord'] } } };
    const result = await inspectManifest(manifest, { catalog: CATALOG });
    expect(result.issues.map((i) => i.hint)).toEqual([
      'Add "youtube": { "package": "@streamsuites/plugin-youtube" } to "plugins", or fix the id.',
      'Add "discord": { "package": "<npm package>" } to "plugins", or fix the id.',
    ]);
    // The kernel alone names no package.
    expect((await inspectManifest(manifest)).issues[0]!.hint).toBe('Add "youtube": { "package": "<npm package>" } to "plugins", or fix the id.');
  });

  it('a plugin that depends on a plugin whose package failed is not reported again', async () => {
    const result = await inspectFile(pluginPackage('@fixture/plugin-clips', 'clips', ['twitch']), {
      plugins: { twitch: { package: '@streamsuites/plugin-twich' }, clips: { package: '@fixture/plugin-clips' } },
      creators: { daniel: { enable: ['twitch', 'clips'], config: { clips: { channel: 'daniel' } } } },
    });
    expect(summary(result.issues)).toEqual([['SS_ERR_PLUGIN_NOT_INSTALLED', '/plugins/twitch/package']]);
    expect(result.bootErrors).toEqual([]);
    // A dependency nobody declared is still reported.
    const undeclared = await inspectFile(pluginPackage('@fixture/plugin-clips', 'clips', ['twitch']), {
      plugins: { clips: { package: '@fixture/plugin-clips' } },
      creators: {},
    });
    expect(summary(undeclared.issues)).toEqual([['SS_ERR_PLUGIN_DEPENDENCY_MISSING', '/plugins/clips']]);
  });

  it('a missing dependency names the catalog\'s package of the plugin it needs, and only a catalog one', async () => {
    const result = await inspectFile(
      { ...pluginPackage('@fixture/plugin-clips', 'clips', ['twitch']), ...pluginPackage('@fixture/plugin-deck', 'deck', ['streamdeck']) },
      { plugins: { clips: { package: '@fixture/plugin-clips' }, deck: { package: '@fixture/plugin-deck' } }, creators: {} },
      {},
      { catalog: CATALOG },
    );
    expect(result.issues.map((i) => [i.code, i.path, i.hint])).toEqual([
      [
        'SS_ERR_PLUGIN_DEPENDENCY_MISSING',
        '/plugins/clips',
        'Add "twitch": { "package": "@streamsuites/plugin-twitch" } to the manifest "plugins" section, or make the dependency optional in plugin "clips" ("twitch?").',
      ],
      [
        'SS_ERR_PLUGIN_DEPENDENCY_MISSING',
        '/plugins/deck',
        'Add "streamdeck": { "package": "<npm package>" } to the manifest "plugins" section, or make the dependency optional in plugin "deck" ("streamdeck?").',
      ],
    ]);
  });

  it('entries without a package, or with the package of another id, do not make creators report them as undeclared', async () => {
    const result = await inspectFile(pluginPackage('@fixture/plugin-hello', 'hello'), {
      plugins: { greeter: { package: '@fixture/plugin-hello' }, bare: {} },
      creators: { daniel: { enable: ['greeter', 'bare'], config: { greeter: { channel: 'd' }, bare: {} } } },
    });
    expect(summary(result.issues)).toEqual([
      ['SS_ERR_MANIFEST_SCHEMA', '/plugins/greeter'],
      ['SS_ERR_MANIFEST_SCHEMA', '/plugins/bare'],
    ]);
  });

  it('a missing env var is one error with a hint, not also the pattern error of the empty value', async () => {
    const result = await inspectFile(pluginPackage('@fixture/plugin-twitch', 'twitch'), {
      plugins: { twitch: { package: '@fixture/plugin-twitch' } },
      creators: {
        daniel: { enable: ['twitch'], config: { twitch: { channel: '${env:SS_TEST_CHANNEL}', token: 'oauth:${env:SS_TEST_TOKEN}' } } },
      },
    });
    expect(summary(result.issues)).toEqual([
      ['SS_ERR_MANIFEST_ENV_MISSING', '/creators/daniel/config/twitch/channel'],
      ['SS_ERR_MANIFEST_ENV_MISSING', '/creators/daniel/config/twitch/token'],
    ]);
    for (const issue of result.issues) expect(issue.hint).toMatch(/^Set SS_TEST_(CHANNEL|TOKEN) in the environment/);
    // With the variables set, the same values are checked as usual.
    const set = await inspectFile(
      pluginPackage('@fixture/plugin-twitch', 'twitch'),
      { plugins: { twitch: { package: '@fixture/plugin-twitch' } }, creators: { daniel: { enable: ['twitch'], config: { twitch: { channel: 'daniel', token: '${env:SS_TEST_TOKEN}' } } } } },
      { SS_TEST_TOKEN: 'short' },
    );
    expect(summary(set.issues)).toEqual([['SS_ERR_CONFIG_INVALID', '/creators/daniel/config/twitch/token']]);
  });

  it('a missing env var in a package name, dataDir or enable entry is one error each, with no follow-ons', async () => {
    const result = await inspectManifest(
      {
        dataDir: '${env:SS_TEST_DATA}',
        plugins: { twitch: { package: '${env:SS_TEST_PKG}' } },
        creators: { daniel: { enable: ['twitch', '${env:SS_TEST_EXTRA}'], config: { twitch: {} } } },
      },
      { env: {} },
    );
    expect(summary(result.issues)).toEqual([
      ['SS_ERR_MANIFEST_ENV_MISSING', '/dataDir'],
      ['SS_ERR_MANIFEST_ENV_MISSING', '/plugins/twitch/package'],
      ['SS_ERR_MANIFEST_ENV_MISSING', '/creators/daniel/enable/1'],
    ]);
  });

  it('a missing env var does not hide a problem with the key itself', async () => {
    const result = await inspectManifest({ colour: '${env:SS_TEST_COLOUR}', logLevl: '${env:SS_TEST_LEVEL}', creators: {} }, { env: {} });
    expect(summary(result.issues)).toEqual([
      ['SS_ERR_MANIFEST_ENV_MISSING', '/colour'],
      ['SS_ERR_MANIFEST_ENV_MISSING', '/logLevl'],
      ['SS_ERR_MANIFEST_SECTION_UNCLAIMED', '/colour'],
      ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/logLevl'],
    ]);
  });

  it('an unknown key suggests the key the schema knows, or a section a loaded plugin claims', async () => {
    const result = await inspectManifest(
      { logLevl: 'info', plugins: { p: { pakage: 'x' } }, creators: { a: { enable: [], dryrun: true } } },
      { plugins: [flags] },
    );
    expect(result.issues.map((i) => [i.code, i.path, i.hint])).toEqual(
      expect.arrayContaining([
        ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/logLevl', 'Check the key. Did you mean "logLevel"?'],
        ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/plugins/p/pakage', 'Remove the key or check its spelling. Did you mean "package"?'],
        ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/creators/a/dryrun', 'Check the key. Did you mean "dryRun"?'],
      ]),
    );
  });
});

describe('all errors at once: one schema mistake does not hide the others', () => {
  it('six independent mistakes across top-level and creator fields: each reported exactly once, with a hint naming its field', async () => {
    const result = await inspectFile(pluginPackage('@fixture/plugin-hello', 'hello'), {
      logLevel: 5,
      onBootFailure: 'sometimes',
      timeouts: { startMs: 0 },
      plugins: { hello: { package: '@fixture/plugin-hello' } },
      creators: {
        daniel: { displayName: '', enable: ['hello', 'hello'], config: { hello: { channel: 'daniel' } } },
        maya: { enable: ['hello'], config: { hello: { channel: 'maya' } }, dryRun: 'no' },
      },
    }, {}, { plugins: [flags] });
    expect(result.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      ['SS_ERR_MANIFEST_SCHEMA', '/logLevel', 'must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent"'],
      ['SS_ERR_MANIFEST_SCHEMA', '/onBootFailure', 'must be one of "continue", "abort"'],
      ['SS_ERR_MANIFEST_SCHEMA', '/timeouts/startMs', 'must be >= 1'],
      ['SS_ERR_MANIFEST_SCHEMA', '/creators/daniel/displayName', 'must not have fewer than 1 characters'],
      ['SS_ERR_MANIFEST_SCHEMA', '/creators/daniel/enable', 'lists "hello" more than once'],
      ['SS_ERR_MANIFEST_SCHEMA', '/creators/maya/dryRun', 'must be boolean'],
    ]);
    expect(result.issues.map((i) => i.hint?.replace(/ See the ("Manifest" section|README of the plugin) .*$/, ''))).toEqual([
      'logLevel should be one of "fatal", "error", "warn", "info", "debug", "trace", "silent" (The lowest log level written; "info" when left out).',
      'onBootFailure should be one of "continue", "abort" (What happens when a plugin or creator fails to start: "continue" reports it and runs the rest, "abort" stops everything started; "continue" when left out).',
      "timeouts.startMs should be a whole number of at least 1 (Time limit of each plugin's start for one creator, in milliseconds; 30000 when left out).",
      'creators.daniel.displayName should be a non-empty string (The name shown for this creator in logs, exports and the dashboard; the creator id when left out).',
      'creators.daniel.enable should be a list, each a non-empty string, without repeats (The ids of the plugins that run for this creator, each declared under "plugins" or a default plugin).',
      'creators.maya.dryRun should be true or false.',
    ]);
    // A claimed section's problem says which plugin reads it.
    expect(result.issues.at(-1)!.hint).toContain('See the README of the plugin that reads "dryRun" ("flags").');
  });

  it('many creators with the same mistake: every one is reported (typebox alone stops after 8 errors)', async () => {
    const creators = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c${i}`, { enable: [], dryRun: 'no' }]));
    const result = await inspectManifest({ logLevel: 5, creators }, { plugins: [flags] });
    expect(result.issues).toHaveLength(21);
    expect(Settings.Get().maxErrors).toBe(8); // raised only while collecting
  });

  it('past MAX_SCHEMA_ERRORS, says that it stopped instead of hiding it', () => {
    const schema = Type.Array(Type.String());
    const issues = schemaIssues(schema, Array.from({ length: MAX_SCHEMA_ERRORS + 5 }, () => 1), [], { schema: 'S', unknownKey: 'K' });
    expect(issues).toHaveLength(MAX_SCHEMA_ERRORS + 1);
    expect(issues.at(-1)).toMatchObject({ path: '/', message: `validation stopped after ${MAX_SCHEMA_ERRORS} schema errors`, hint: expect.any(String) });
  });
});
