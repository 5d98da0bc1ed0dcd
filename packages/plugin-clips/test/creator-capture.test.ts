import type { LiveStreamInput, StreamSource } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { CreatorCapture, type CreatorCaptureConfig } from '../src/capture/creator-capture.js';
import type { CaptureInput, CaptureStatus, CaptureStatusEvent, CaptureSupervisor, CaptureSupervisorOptions } from '../src/index.js';

/** Stands in for a CaptureSupervisor: records start/stop; the test drives its status. */
class FakeSupervisor {
  status: CaptureStatus | 'idle' = 'idle';
  started = false;
  stopped = false;
  finishStop: () => void = () => {};
  constructor(
    readonly input: CaptureSupervisorOptions['input'],
    readonly onStatus: (event: CaptureStatusEvent) => void,
    readonly stopWaits: boolean,
  ) {}
  start(): void {
    this.started = true;
    this.status = 'starting';
  }
  stop(): Promise<void> {
    this.stopped = true;
    return this.stopWaits ? new Promise((resolve) => (this.finishStop = resolve)) : Promise.resolve();
  }
  emit(status: CaptureStatus, reason?: string): void {
    this.status = status;
    this.onStatus({ creatorId: 'daniel', status, at: 0, attempt: 1, ...(reason === undefined ? {} : { reason }) });
  }
  resolveInput(signal = new AbortController().signal): Promise<CaptureInput> {
    return Promise.resolve(typeof this.input === 'function' ? this.input(signal) : this.input);
  }
}

function setup(config: CreatorCaptureConfig | undefined, sources: StreamSource[] = [], options: { stopWaits?: boolean } = {}) {
  const made: FakeSupervisor[] = [];
  const secrets: string[] = [];
  const capture = new CreatorCapture({
    creatorId: 'daniel',
    config,
    sources: new Map(sources.map((s) => [s.platform, s])),
    newSupervisor: (input, onStatus) => {
      const fake = new FakeSupervisor(input, onStatus, options.stopWaits ?? false);
      made.push(fake);
      return fake as unknown as CaptureSupervisor;
    },
    addSecret: (value) => void secrets.push(value),
    redact: (text) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text),
  });
  /** Lets the deferred start (after the previous stop) run. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { capture, made, secrets, settle };
}

const fixed: CaptureInput = { url: 'https://cdn.example/daniel.m3u8' };
const answering = (platform: string, answer: () => LiveStreamInput | Promise<LiveStreamInput>): StreamSource => ({ platform, resolve: async () => answer() });

describe('CreatorCapture: who owns the capture', () => {
  it('a fixed input without source keeps the old rule: any platform\'s online starts it, any platform\'s offline stops it', async () => {
    const { capture, made, settle } = setup({ input: fixed, always: false });
    capture.online('twitch');
    await settle();
    expect(made.map((m) => m.started)).toEqual([true]);
    expect(capture.owner).toBeUndefined();
    capture.online('youtube'); // already capturing
    expect(made).toHaveLength(1);
    await capture.offline('youtube');
    expect(made[0]!.stopped).toBe(true);
    expect(capture.supervisor).toBeUndefined();
    expect(await made[0]!.resolveInput()).toEqual(fixed);
  });

  it('a fixed input with capture.source follows that platform only', async () => {
    const { capture, made, settle } = setup({ input: fixed, source: 'youtube', always: false });
    capture.online('twitch');
    expect(made).toHaveLength(0);
    capture.online('youtube');
    await settle();
    expect(capture.owner).toBe('youtube');
    await capture.offline('twitch');
    expect(made[0]!.stopped).toBe(false);
    await capture.offline('youtube');
    expect(made[0]!.stopped).toBe(true);
  });

  it('without config: the first platform with a stream source to go live owns it; the others neither start nor stop it; it is free again after its offline', async () => {
    const live = { url: 'https://cdn.example/x.m3u8', via: 'test' };
    const { capture, made, settle } = setup(undefined, [answering('rumble', () => live), answering('youtube', () => live)]);
    capture.online('twitch'); // no source there
    expect(made).toHaveLength(0);
    capture.online('rumble');
    capture.online('youtube');
    await settle();
    expect(made).toHaveLength(1);
    expect(capture.owner).toBe('rumble');
    await capture.offline('youtube');
    expect(made[0]!.stopped).toBe(false);
    await capture.offline('rumble');
    expect(made[0]!.stopped).toBe(true);
    capture.online('youtube');
    expect(capture.owner).toBe('youtube');
  });

  it('a new session starts only after the previous one\'s stop ended (they share the buffer folder)', async () => {
    const { capture, made, settle } = setup({ input: fixed, always: false }, [], { stopWaits: true });
    capture.online('twitch');
    await settle();
    void capture.offline('twitch');
    capture.online('twitch');
    await settle();
    expect(made.map((m) => m.started)).toEqual([true, false]);
    made[0]!.finishStop();
    await settle();
    expect(made.map((m) => m.started)).toEqual([true, true]);

    // A session stopped before its turn never starts.
    void capture.offline('twitch');
    capture.online('twitch');
    void capture.offline('twitch');
    made[1]!.finishStop();
    made[2]!.finishStop();
    await settle();
    expect(made.map((m) => m.started)).toEqual([true, true, false]);
  });

  it('capture.always starts at the creator\'s start, with input or with source', async () => {
    for (const config of [{ input: fixed, always: true }, { source: 'rumble', always: true }]) {
      const { capture, made, settle } = setup(config, [answering('rumble', () => ({ url: 'https://cdn.example/x.m3u8', via: 't' }))]);
      capture.creatorStarted();
      await settle();
      expect(made.map((m) => m.started)).toEqual([true]);
    }
    const { capture, made } = setup({ source: 'rumble', always: false }, [answering('rumble', () => ({ url: 'https://cdn.example/x.m3u8', via: 't' }))]);
    capture.creatorStarted();
    expect(made).toHaveLength(0);
  });
});

describe('CreatorCapture: the input and the not-live reason', () => {
  it('resolves through the source, registers the secrets first, and says why no clip can be cut at each step', async () => {
    let answer: () => LiveStreamInput = () => {
      throw Object.assign(new Error('channel offline'), { code: 'SS_ERR_FAKE_OFFLINE' });
    };
    const { capture, made, secrets, settle } = setup(undefined, [answering('rumble', () => answer())]);
    expect(capture.notLiveReason()).toBeUndefined(); // not live: no reason
    capture.online('rumble');
    await settle();
    const fake = made[0]!;
    expect(capture.notLiveReason()).toBe('the rumble capture is starting');

    await expect(fake.resolveInput()).rejects.toThrow('channel offline');
    fake.emit('restarting', 'could not prepare the capture: SS_ERR_FAKE_OFFLINE: channel offline');
    expect(capture.notLiveReason()).toBe('the rumble stream could not be resolved: SS_ERR_FAKE_OFFLINE: channel offline');

    answer = () => ({ url: 'https://cdn.example/live.m3u8?sig=s1gn4ture', headers: { Referer: 'https://rumble.com/', 'User-Agent': 'UA/1' }, via: 'embed' });
    expect(await fake.resolveInput()).toEqual({
      url: 'https://cdn.example/live.m3u8?sig=s1gn4ture',
      inputArgs: ['-user_agent', 'UA/1', '-headers', 'Referer: https://rumble.com/\r\n'],
    });
    expect(secrets).toEqual(expect.arrayContaining(['https://cdn.example/live.m3u8?sig=s1gn4ture', 's1gn4ture', 'https://rumble.com/', 'UA/1']));
    fake.emit('restarting', 'ffmpeg exited with code 1');
    expect(capture.notLiveReason()).toBe('the rumble capture is restarting: ffmpeg exited with code 1'); // the resolve error is gone
    fake.emit('running');
    expect(capture.running).toBe(true);
    expect(capture.notLiveReason()).toBeUndefined();
    fake.emit('stopped', 'gave up after 5 restarts');
    expect(capture.notLiveReason()).toBe('the rumble capture stopped: gave up after 5 restarts');

    // A resolver quoting a secret it handed out earlier: masked in the reason.
    answer = () => {
      throw new Error('signature s1gn4ture expired');
    };
    await expect(fake.resolveInput()).rejects.toThrow();
    expect(capture.notLiveReason()).toBe('the rumble stream could not be resolved: signature [redacted] expired');
  });

  it('a stream source answering bad headers stops the capture (SS_ERR_CLIPS_CAPTURE_INVALID: retrying cannot help)', async () => {
    const { capture, made, settle } = setup(undefined, [answering('rumble', () => ({ url: 'https://cdn.example/x.m3u8', headers: { 'X-A': 'a\r\nX-B: b' }, via: 't' }))]);
    capture.online('rumble');
    await settle();
    await expect(made[0]!.resolveInput()).rejects.toMatchObject({ code: 'SS_ERR_CLIPS_CAPTURE_INVALID' });
  });
});
