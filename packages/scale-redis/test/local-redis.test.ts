import { existsSync } from 'node:fs';
import { Socket } from 'node:net';
import { expect, it } from 'vitest';
import { SS_ERR_SCALE_REDIS_NOT_INSTALLED } from '../src/errors.js';
import { startLocalRedis } from '../src/testing.js';
import { connect } from './helpers.js';

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('error', () => resolve(true));
    socket.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

it('starts redis-server on a free loopback port in a temp dir, answers commands, and stop() removes both', async () => {
  const a = await startLocalRedis();
  const b = await startLocalRedis();
  expect(a.port).not.toBe(b.port);
  expect(a.url).toBe(`redis://127.0.0.1:${a.port}`);
  const client = connect(a.url);
  await client.set('k', 'v');
  expect(await client.get('k')).toBe('v');
  expect(await client.config('GET', 'dir')).toEqual(['dir', a.dir]);
  expect(await client.config('GET', 'save')).toEqual(['save', '']);
  client.disconnect();
  await a.stop();
  await b[Symbol.asyncDispose]();
  expect(existsSync(a.dir)).toBe(false);
  expect(existsSync(b.dir)).toBe(false);
  expect(await refused(a.port)).toBe(true);
});

it('a missing binary is SS_ERR_SCALE_REDIS_NOT_INSTALLED with the install hint', async () => {
  const error = await startLocalRedis({ binary: '/nonexistent/redis-server' }).catch((e: unknown) => e);
  expect(SS_ERR_SCALE_REDIS_NOT_INSTALLED.is(error)).toBe(true);
  expect((error as Error & { hint: string }).hint).toContain('sudo apt-get install redis-server');
});
