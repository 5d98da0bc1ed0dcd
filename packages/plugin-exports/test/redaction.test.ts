import { join } from 'node:path';
import { definePlugin, Type, type ExportSection } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import exportsPlugin, { exportsExtensionPoint } from '../src/index.js';
import { readTree, tempDir } from './helpers.js';

// Secrets that reach the kernel only through the manifest (`${env:...}` in a plugin's config), so
// nothing but the kernel's SecretRegistry knows them: no `oauth:`/keyed-URL pattern would mask them.
const PLAIN = 'Zx81plainSecretValue';
// JSON escapes `"` and `\`: in the written text this secret is `q\"uo\\ted-Secret-77`, not the raw value.
const QUOTED = 'q"uo\\ted-Secret-77';
// A secret of digits that a section writes as a number.
const DIGITS = '80412937';

/** A test plugin whose config comes from the manifest and whose sections put it into export bodies. */
const leaky = definePlugin({
  id: 'leaky',
  version: '1.0.0',
  kernel: '^0.2.0',
  configSchema: Type.Object({ label: Type.String(), quoted: Type.String(), pin: Type.String() }),
  register(reg) {
    let config = { label: '', quoted: '', pin: '' };
    reg.onInit({ deps: {}, init: (ctx) => void (config = ctx.config) });
    const body = () => ({
      items: [
        { text: config.label, note: `token is ${config.label} (and ${config.quoted})`, pin: Number(config.pin) },
        { text: config.quoted, note: `quoted: ${config.quoted}`, pin: 7 },
      ],
      byKey: { [config.label]: 'keyed by a secret', [`k-${config.quoted}`]: config.quoted },
    });
    const bodySchema = Type.Object({
      items: Type.Array(Type.Object({ text: Type.String(), note: Type.String(), pin: Type.Number() })),
      byKey: Type.Record(Type.String(), Type.String()),
    });
    const section = (file: string, visibility: ExportSection['visibility']): ExportSection => ({
      file,
      schema: 'streamsuites.leaky',
      version: 1,
      visibility,
      description: 'Test section that puts manifest secrets into its body.',
      bodySchema,
      snapshot: body,
    });
    reg.extend(exportsExtensionPoint, section('runtime/exports/leaky.json', 'public'));
    reg.extend(exportsExtensionPoint, section('runtime/admin/leaky.json', 'dashboard-only'));
    reg.extend(exportsExtensionPoint, section('runtime/admin/leaky_internal.json', 'internal-only'));
  },
});

/** Every string (keys and values) and number of a parsed JSON document. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' || typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) leaves(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      leaves(item, out);
    }
  }
  return out;
}

describe('redaction of section bodies', () => {
  // Fails without the per-string redaction in stableStringify (src/json.ts, as called from src/exporter.ts):
  // with only the old pass over the final text, QUOTED was written as `q\"uo\\ted-Secret-77` (parsed back to the
  // secret) and DIGITS made `"pin": [redacted]`, which is not JSON. With no redaction at all, PLAIN is in every file.
  it('a manifest secret a section puts into its body is masked in every written and mirrored file, and in no log', async () => {
    const dataDir = tempDir();
    const mirror = tempDir();
    const t = await startTestKernel({
      plugins: [exportsPlugin, leaky],
      env: { PLAIN, QUOTED, DIGITS },
      clock: { now: () => Date.UTC(2026, 10, 27, 12, 0, 0) },
      manifest: {
        dataDir,
        plugins: {
          exports: { config: { mirror: true, mirrorRoot: mirror } },
          leaky: { config: { label: '${env:PLAIN}', quoted: '${env:QUOTED}', pin: '${env:DIGITS}' } },
        },
        creators: { alice: { enable: ['exports', 'leaky'] } },
      },
    });
    await t.events.waitFor('exports.written');
    await t.stop();

    const written = readTree(join(dataDir, 'state'));
    const mirrored = readTree(mirror);
    // The sections really ran and placed the secrets: the masked values are where the secrets were.
    const leakyFile = JSON.parse(written['runtime/exports/leaky.json']!) as { items: { text: string; note: string; pin: unknown }[]; byKey: Record<string, string> };
    expect(leakyFile.items).toEqual([
      { text: '[redacted]', note: 'token is [redacted] (and [redacted])', pin: '[redacted]' },
      { text: '[redacted]', note: 'quoted: [redacted]', pin: 7 },
    ]);
    expect(leakyFile.byKey).toEqual({ '[redacted]': 'keyed by a secret', 'k-[redacted]': '[redacted]' });
    expect(Object.keys(written)).toContain('runtime/admin/leaky_internal.json');
    expect(Object.keys(mirrored)).toContain('runtime/exports/leaky.json');
    expect(Object.keys(mirrored)).toContain('runtime/admin/leaky.json');

    const files = [...Object.entries(written).map(([f, text]) => [`state/${f}`, text] as const), ...Object.entries(mirrored).map(([f, text]) => [`mirror/${f}`, text] as const)];
    expect(files.length).toBeGreaterThan(20);
    for (const [file, text] of files) {
      for (const secret of [PLAIN, QUOTED, DIGITS]) {
        expect(text, file).not.toContain(secret);
        expect(text, file).not.toContain(JSON.stringify(secret).slice(1, -1)); // the escaped form
        expect(leaves(JSON.parse(text)).filter((leaf) => leaf.includes(secret)), file).toEqual([]);
      }
    }
    const logs = JSON.stringify(t.logs.lines);
    for (const secret of [PLAIN, QUOTED, DIGITS]) expect(logs).not.toContain(JSON.stringify(secret).slice(1, -1));
  });
});
