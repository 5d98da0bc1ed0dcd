import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKernel, formatIssue, inspectManifest } from '../src/index.js';
import { fakePluginPackage, tempTree } from './helpers/tmp.js';

describe('manifest loading', () => {
  it('loads plugins by package name from the host node_modules and applies config defaults', async () => {
    const dir = await tempTree({
      ...fakePluginPackage('@fixture/plugin-hello', 'hello'),
      'streamsuites.json': JSON.stringify({
        kernel: '^0.2.0',
        plugins: { hello: { package: '@fixture/plugin-hello' } },
        creators: { daniel: { enable: ['hello'], config: { hello: { channel: 'daniel', token: '${env:HELLO_TOKEN}' } } } },
      }),
    });
    const result = await inspectManifest(join(dir, 'streamsuites.json'), { env: { HELLO_TOKEN: 'oauth:abcdef123456' } });
    expect(result.issues).toEqual([]);
    expect(result.manifest?.plugins.hello?.config).toEqual({ greeting: 'hi' });
    expect(result.manifest?.creators.daniel?.config.hello).toEqual({ channel: 'daniel', token: 'oauth:abcdef123456' });
    expect(result.manifest?.dataDir).toBe(join(dir, 'data'));
    expect(result.plugins.map((p) => p.id)).toEqual(['hello']);
  });

  it('reports every mistake at once, each with its JSON path, code and line', async () => {
    const text = `{
  "plugins": {
    "hello": { "package": "@fixture/plugin-hello", "config": { "greeting": 5 } },
    "ghost": { "package": "@fixture/not-installed" }
  },
  "colour": "blue",
  "creators": {
    "daniel": { "enable": ["hello"], "config": { "hello": { "channel": "daniel" } } },
    "Bad Id": { "enable": ["hello", "twitch"], "config": { "hello": { "channel": "x", "token": "\${env:MISSING_TOKEN}" } } },
    "daniel": { "enable": ["hello"], "config": { "hello": { "channel": 42 } } }
  }
}`;
    const dir = await tempTree({ ...fakePluginPackage('@fixture/plugin-hello', 'hello'), 'm.json': text });
    const result = await inspectManifest(join(dir, 'm.json'), { env: {} });
    const found = result.issues.map((i) => [i.code, i.path, i.position?.line]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['SS_ERR_MANIFEST_DUPLICATE_CREATOR', '/creators/daniel', 10],
        ['SS_ERR_MANIFEST_ENV_MISSING', '/creators/Bad Id/config/hello/token', 9],
        // A top-level key neither the kernel nor a loaded plugin reads (and close to none).
        ['SS_ERR_MANIFEST_SECTION_UNCLAIMED', '/colour', 6],
        ['SS_ERR_PLUGIN_NOT_INSTALLED', '/plugins/ghost/package', 4],
        ['SS_ERR_CONFIG_INVALID', '/plugins/hello/config/greeting', 3],
        ['SS_ERR_MANIFEST_UNKNOWN_PLUGIN', '/creators/Bad Id/enable/1', 9],
        ['SS_ERR_CREATOR_ID_INVALID', '/creators/Bad Id', 9],
      ]),
    );
    // The last duplicate wins (as in JSON.parse), and its errors are reported too.
    expect(found.map(([code, path]) => [code, path])).toContainEqual(['SS_ERR_CONFIG_INVALID', '/creators/daniel/config/hello/channel']);
    expect(result.issues).toHaveLength(8);
    expect(result.manifest).toBeUndefined();
    expect(formatIssue(result.issues.find((i) => i.code === 'SS_ERR_MANIFEST_SECTION_UNCLAIMED')!)).toBe(
      '/colour (line 6, column 3): no loaded plugin reads the manifest section "colour" [SS_ERR_MANIFEST_SECTION_UNCLAIMED]',
    );
  });

  it('a package under the wrong key, or an entry without package, is reported at its path', async () => {
    const dir = await tempTree({
      ...fakePluginPackage('@fixture/plugin-hello', 'hello'),
      'm.json': JSON.stringify({ plugins: { greeter: { package: '@fixture/plugin-hello' }, bare: {} }, creators: {} }),
    });
    const result = await inspectManifest(join(dir, 'm.json'));
    expect(result.issues.map((i) => [i.path, i.message])).toEqual([
      ['/plugins/greeter', 'package "@fixture/plugin-hello" is the plugin "hello", not "greeter"'],
      ['/plugins/bare', 'plugin "bare" has no "package" and the host did not provide it'],
    ]);
  });

  it('a file that is not JSON fails with SS_ERR_MANIFEST_PARSE and the line and column', async () => {
    const dir = await tempTree({ 'm.json': '{\n  "creators": {\n    "a": { "enable": [] },\n  }\n}\n' });
    await expect(inspectManifest(join(dir, 'm.json'))).rejects.toMatchObject({
      code: 'SS_ERR_MANIFEST_PARSE',
      details: { line: 4, column: 3 },
    });
  });

  it('a missing file fails with SS_ERR_MANIFEST_NOT_FOUND', async () => {
    await expect(inspectManifest('/nonexistent/streamsuites.json')).rejects.toMatchObject({ code: 'SS_ERR_MANIFEST_NOT_FOUND' });
  });

  it('a package whose default export is not a plugin fails with SS_ERR_PLUGIN_LOAD_FAILED', async () => {
    const dir = await tempTree({
      'node_modules/not-a-plugin/package.json': JSON.stringify({ name: 'not-a-plugin', type: 'module', exports: './index.js' }),
      'node_modules/not-a-plugin/index.js': 'export default { hello: 1 };',
      'node_modules/throws/package.json': JSON.stringify({ name: 'throws', type: 'module', exports: './index.js' }),
      'node_modules/throws/index.js': 'throw new Error("import boom");',
      'm.json': JSON.stringify({ plugins: { a: { package: 'not-a-plugin' }, b: { package: 'throws' } }, creators: {} }),
    });
    const result = await inspectManifest(join(dir, 'm.json'));
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['SS_ERR_PLUGIN_LOAD_FAILED', '/plugins/a/package'],
      ['SS_ERR_PLUGIN_LOAD_FAILED', '/plugins/b/package'],
    ]);
    expect(result.issues[1]!.message).toContain('import boom');
  });

  it('createKernel throws SS_ERR_MANIFEST_INVALID listing every issue', async () => {
    const error = await createKernel({
      manifest: { creators: { a: { enable: ['x'] }, b: { enable: 'all' } }, onBootFailure: 'sometimes' },
      logLevel: 'silent',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
    const issues = (error as { details: { issues: { path: string; message: string }[] } }).details.issues;
    expect(issues.map((i) => i.path).sort()).toEqual(['/creators/a/enable/0', '/creators/b/enable', '/onBootFailure']);
    expect(issues.find((i) => i.path === '/onBootFailure')?.message).toBe('must be one of "continue", "abort"');
    expect((error as Error).message).toContain('/creators/a/enable/0');
  });

  it('a manifest kernel range this kernel does not satisfy is SS_ERR_KERNEL_VERSION at /kernel', async () => {
    const result = await inspectManifest({ kernel: '^7.0.0', creators: {} });
    expect(result.issues).toMatchObject([{ code: 'SS_ERR_KERNEL_VERSION', path: '/kernel' }]);
  });

  it('$${env:X} stays literal and malformed references are reported', async () => {
    const result = await inspectManifest(
      { creators: {}, dataDir: '$${env:HOME}', plugins: { p: { package: '${env:1BAD}' } } },
      { env: {} },
    );
    expect(result.issues.map((i) => [i.code, i.path])).toContainEqual(['SS_ERR_MANIFEST_SCHEMA', '/plugins/p/package']);
    const ok = await inspectManifest({ creators: {}, dataDir: '/tmp/$${env:HOME}' }, { env: {} });
    expect(ok.manifest?.dataDir).toBe('/tmp/${env:HOME}');
  });
});
