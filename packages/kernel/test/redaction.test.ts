import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { busRef, definePlugin, SecretRegistry } from '../src/index.js';
import { startTestKernel } from '../src/testing.js';

const TOKEN = 'oauth:s3cr3tt0k3nvalue';
const API_KEY = 'AIzaSyFAKEFAKEFAKE1234';

const chatty = definePlugin({
  id: 'chatty',
  version: '1.0.0',
  kernel: '^0.2.0',
  creatorConfigSchema: Type.Object({ channel: Type.String(), token: Type.String(), apiUrl: Type.String() }),
  register(reg) {
    reg.onInit({
      start({ creatorConfig, logger }) {
        logger.info({ creatorConfig }, 'config');
        logger.info(`connecting with ${creatorConfig.token} to ${creatorConfig.apiUrl}`);
        logger.error({ err: new Error(`auth failed for token ${creatorConfig.token}`) }, 'auth');
        logger.info({ nested: { deeper: { value: creatorConfig.token } } }, 'nested');
        throw new Error(`start failed using ${creatorConfig.token}`);
      },
    });
  },
});

describe('secret redaction', () => {
  it('a token from the config never appears in log output or bus payloads', async () => {
    const t = await startTestKernel({
      plugins: [chatty],
      env: { TOKEN, API_KEY },
      manifest: {
        creators: {
          c1: {
            enable: ['chatty'],
            config: {
              chatty: {
                channel: 'c1',
                token: '${env:TOKEN}',
                apiUrl: 'https://www.googleapis.com/youtube/v3/videos?id=1&key=${env:API_KEY}',
              },
            },
          },
        },
      },
    });
    const output = t.logs.text();
    expect(output).toContain('connecting with');
    expect(output).toContain('start failed using');
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain('s3cr3tt0k3nvalue');
    expect(output).not.toContain(API_KEY);
    expect(JSON.stringify(t.events.events)).not.toContain('s3cr3tt0k3nvalue');
    await t.stop();
  });

  it('a listener error that quotes a secret is redacted on the bus', async () => {
    const leaky = definePlugin({
      id: 'leaky',
      version: '1.0.0',
      kernel: '^0.2.0',
      creatorConfigSchema: Type.Object({ token: Type.String() }),
      register(reg) {
        reg.onInit({
          deps: { bus: busRef },
          start: ({ deps, creatorConfig }) =>
            deps.bus.on('kernel.creator.added', () => {
              throw new Error(`cannot use ${creatorConfig.token}`);
            }),
        });
      },
    });
    const t = await startTestKernel({
      plugins: [leaky],
      env: { TOKEN },
      manifest: { creators: { c1: { enable: ['leaky'], config: { leaky: { token: '${env:TOKEN}' } } } } },
    });
    await t.kernel.addCreator('c2', { enable: [] });
    const [failure] = t.events.of('kernel.listener.error');
    expect(failure?.error.message).toBe('cannot use [redacted]');
    expect(t.logs.text()).not.toContain('s3cr3tt0k3nvalue');
    await t.stop();
  });

  it('masks keyed URLs, oauth tokens, bearer headers and userinfo without knowing the values', () => {
    const secrets = new SecretRegistry();
    expect(secrets.redactString('GET https://x.test/a?part=id&key=ABC123&b=1')).toBe('GET https://x.test/a?part=id&key=[redacted]&b=1');
    expect(secrets.redactString('PASS oauth:abcdef0123')).toBe('PASS oauth:[redacted]');
    expect(secrets.redactString('Authorization: Bearer abc.def.ghi123')).toBe('Authorization: Bearer [redacted]');
    expect(secrets.redactString('redis://user:pw@host:6379')).toBe('redis://[redacted]@host:6379');
    expect(secrets.redact({ clientSecret: 'x', refresh_token: 'y', channel: 'daniel' })).toEqual({
      clientSecret: '[redacted]',
      refresh_token: '[redacted]',
      channel: 'daniel',
    });
  });
});
