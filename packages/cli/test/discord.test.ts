/** `streamsuites discord <manifest>`: the control plane alone (its behaviour is tested in plugin-discord's standalone test). */
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

describe('streamsuites discord', () => {
  it('--help explains the standalone mode', async () => {
    const { code, stdout } = await cli(['discord', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: streamsuites discord <manifest>');
    expect(stdout).toContain('SS_ERR_DISCORD_NOT_AVAILABLE');
    const main = await cli(['--help']);
    expect(main.stdout).toContain('discord <manifest>');
  });

  it('a manifest without plugins.discord is a usage error (exit 2), before anything starts', async () => {
    const { code, stderr } = await cli(['discord', 'valid.json'], { HELLO_TOKEN: 'oauth:abc123456' });
    expect(code).toBe(2);
    expect(stderr).toContain('the manifest declares no "discord" plugin');
  });

  it('an invalid manifest lists its problems (exit 1); a bad --duration is a usage error (exit 2)', async () => {
    const invalid = await cli(['discord', 'five-mistakes.json']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('error SS_ERR_MANIFEST_INVALID');
    const duration = await cli(['discord', 'valid.json', '--duration', 'soon']);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toContain('discord: --duration must be a positive number of seconds');
  });
});
