import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { manifestJsonSchema } from '@streamsuites/config';
import { defaultPlugins, OFFICIAL_PLUGINS, withDefaults } from '@streamsuites/defaults';
import { inspectManifest, isPluginDefinition, type AnyPlugin } from '@streamsuites/kernel';
import { parseCommandArgs } from '../args.js';
import type { CliIO } from '../io.js';

export const schemaHelp = `Usage: streamsuites schema [--manifest <file>]

Prints the JSON Schema of a manifest on stdout: the kernel's keys, the
sections the plugins claim (triggers, quotas, tiers, chat rules...) and
every plugin's config and creator config, so an editor completes and checks
a manifest that names it in "$schema":

  npx streamsuites schema > streamsuites.schema.json
  { "$schema": "./streamsuites.schema.json", ... }

Plugins: the default ones, plus those the manifest declares (--manifest),
else every official @streamsuites plugin installed where this runs.

Options:
  --manifest <file>   take the plugins this manifest declares
  -h, --help          show this help

Exit status: 0 printed, 1 a plugin package could not be loaded, 2 usage error.
`;

export async function schemaCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('schema', argv, { manifest: { type: 'string' } }, { min: 0, max: 0, names: '' });
  if (args.help) {
    io.stdout(schemaHelp);
    return 0;
  }
  const manifest = args.values.manifest as string | undefined;
  const plugins = manifest === undefined ? [...defaultPlugins(), ...(await installedOfficialPlugins(io.cwd))] : await manifestPlugins(resolve(io.cwd, manifest), io);
  io.stdout(`${JSON.stringify(manifestJsonSchema(plugins), null, 2)}\n`);
  return 0;
}

/** The plugins a manifest declares, with the defaults (its other problems are `validate`'s business). */
async function manifestPlugins(file: string, io: CliIO): Promise<AnyPlugin[]> {
  const inspection = await inspectManifest(file, withDefaults({ env: io.env }));
  return inspection.plugins;
}

/** Every official plugin package that resolves from `cwd` (those not installed are left out). */
async function installedOfficialPlugins(cwd: string): Promise<AnyPlugin[]> {
  const require = createRequire(join(cwd, 'package.json'));
  const found: AnyPlugin[] = [];
  for (const name of new Set([...OFFICIAL_PLUGINS.values()].map((p) => p.package))) {
    let entry: string;
    try {
      entry = require.resolve(name);
    } catch {
      continue;
    }
    const module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
    if (isPluginDefinition(module.default)) found.push(module.default as AnyPlugin);
  }
  return found;
}
