import { describe, expectTypeOf, it } from 'vitest';
import { EventBus, type JobRecord, type JobRegistry, type JobStateEvent } from '@streamsuites/kernel';

// Plugins declare their job payloads by augmentation; enqueue and register pick them up.
declare module '@streamsuites/kernel' {
  interface StreamSuitesJobs {
    'typed.encode': { clipId: string; seconds: number };
  }
}

declare const jobs: JobRegistry;

describe('job registry typing', () => {
  it('declared types get their payload type in enqueue, register and the returned record', async () => {
    const record = await jobs.enqueue('typed.encode', { clipId: 'c1', seconds: 30 });
    expectTypeOf(record).toEqualTypeOf<JobRecord<{ clipId: string; seconds: number }>>();
    jobs.register({
      type: 'typed.encode',
      run: (job) => {
        expectTypeOf(job.payload).toEqualTypeOf<{ clipId: string; seconds: number }>();
      },
    });
    // @ts-expect-error — seconds must be a number
    await jobs.enqueue('typed.encode', { clipId: 'c1', seconds: '30' });
  });

  it('undeclared types take any payload, typed unknown', async () => {
    const record = await jobs.enqueue('other.thing', [1, 2, 3]);
    expectTypeOf(record.payload).toBeUnknown();
  });

  it('job.state is on the typed bus', () => {
    new EventBus().on('job.state', (event) => {
      expectTypeOf(event).toEqualTypeOf<JobStateEvent>();
    });
  });
});
