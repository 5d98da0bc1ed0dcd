import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temporary directory with the given files (path → content), removed after the test. */
export async function tempTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ss-kernel-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/**
 * A plugin package as a host would have it in node_modules. It builds the
 * definition by hand (no kernel import), as a plugin compiled against another
 * copy of the kernel would look.
 */
export function fakePluginPackage(name: string, id: string, body = ''): Record<string, string> {
  return {
    [`node_modules/${name}/package.json`]: JSON.stringify({ name, version: '1.0.0', type: 'module', exports: './index.js' }),
    [`node_modules/${name}/index.js`]: `${body}
export default {
  $$type: '@streamsuites/Plugin', id: ${JSON.stringify(id)}, version: '1.0.0', kernel: '^0.2.0', dependencies: [],
  configSchema: { type: 'object', properties: { greeting: { type: 'string', default: 'hi' } }, additionalProperties: false },
  creatorConfigSchema: { type: 'object', required: ['channel'], properties: { channel: { type: 'string', minLength: 1 }, token: { type: 'string' } } },
  register(reg) { reg.onInit({ start({ creatorConfig, logger }) { logger.info({ creatorConfig }, 'hello started'); } }); },
};
`,
  };
}

/** A plugin package with dependencies and a creator config whose token has a pattern (like plugin-twitch's). */
export function pluginPackage(name: string, id: string, dependencies: string[] = []): Record<string, string> {
  return {
    [`node_modules/${name}/package.json`]: JSON.stringify({ name, version: '1.0.0', type: 'module', exports: './index.js' }),
    [`node_modules/${name}/index.js`]: `export default {
  $$type: '@streamsuites/Plugin', id: ${JSON.stringify(id)}, version: '1.0.0', kernel: '^0.2.0', dependencies: ${JSON.stringify(dependencies)},
  configSchema: { type: 'object', properties: { concurrency: { type: 'integer', minimum: 1, default: 1 } }, additionalProperties: false },
  creatorConfigSchema: { type: 'object', required: ['channel'], additionalProperties: false,
    properties: { channel: { type: 'string', minLength: 1 }, token: { type: 'string', pattern: '^(oauth:)?[a-zA-Z0-9]{20,64}$' } } },
  register() {},
};
`,
  };
}
