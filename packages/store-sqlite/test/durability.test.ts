import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { spawnScript } from '@streamsuites/testing';
import { SqliteStore } from '../src/index.js';
import { fixture, tempDir } from './helpers.js';

it('kill -9 mid-write: the database opens cleanly, every seq the writer printed is there, nothing is half-applied', async () => {
  const file = join(tempDir(), 'chaos.db');
  const writer = spawnScript(fixture('writer.ts'), [file]);
  const closed = once(writer.child, 'close');
  try {
    await writer.until('seq 300\n');
  } finally {
    writer.child.kill('SIGKILL');
    await closed; // stdout fully read: the last printed line is really the last one
  }
  expect(writer.child.signalCode).toBe('SIGKILL');
  const printed = [...writer.stdout().matchAll(/^seq (\d+)$/gm)].map((m) => Number(m[1]));
  const lastPrinted = printed.at(-1)!;
  expect(lastPrinted).toBeGreaterThanOrEqual(300);

  // Opening runs quick_check and the migrations: it throws if the file were damaged.
  const store = SqliteStore.open({ file });
  const lastSeq = await store.state.lastSeq('chaos.log');
  const rows = await store.state.read<{ i: number; body: string; sha: string }>('chaos.log');
  // Printed after commit; at most one more was committed before the kill landed.
  expect(lastSeq).toBeGreaterThanOrEqual(lastPrinted);
  expect(lastSeq).toBeLessThanOrEqual(lastPrinted + 1);
  // Counter and rows agree (the append transaction is all or nothing) and no row is torn.
  expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
  for (const { seq, record } of rows) {
    expect(record.i).toBe(seq);
    expect(createHash('sha256').update(record.body).digest('hex')).toBe(record.sha);
  }
  const last = await store.state.get<{ seq: number }>('chaos.state', 'last');
  expect([lastSeq - 1, lastSeq]).toContain(last!.seq);
  await store.close();

  const db = new Database(file, { readonly: true });
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();
});
