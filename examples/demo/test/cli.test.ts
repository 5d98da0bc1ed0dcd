import { describe, expect, it } from 'vitest';
import { DEFAULT_DASHBOARD_PORT, parseDemoArgs, UsageError } from '../src/cli.js';

describe('parseDemoArgs', () => {
  it('has defaults', () => {
    expect(parseDemoArgs([])).toEqual({ port: DEFAULT_DASHBOARD_PORT, plain: false, replay: false, help: false });
  });

  it('reads every flag', () => {
    expect(parseDemoArgs(['--duration', '2.5', '--port', '0', '--plain', '--state-dir', '/tmp/x'])).toEqual({
      durationSec: 2.5,
      port: 0,
      plain: true,
      stateDir: '/tmp/x',
      replay: false,
      help: false,
    });
    expect(parseDemoArgs(['-h']).help).toBe(true);
    expect(parseDemoArgs(['--replay']).replay).toBe(true);
  });

  it.each([
    [['--duration', 'soon'], /--duration must be a positive number/],
    [['--duration', '0'], /--duration must be a positive number/],
    [['--duration', ''], /--duration must be a positive number/],
    [['--port', '70000'], /--port must be a port number/],
    [['--port', '-1'], /--port must be a port number|argument missing|ambiguous/],
    [['--port', '80.5'], /--port must be a port number/],
    [['--state-dir', ''], /--state-dir must not be empty/],
    [['--replay', '--duration', '5'], /--duration does not apply/],
    [['--nope'], /Unknown option '--nope'/],
    [['extra'], /positional argument/],
  ])('%j is a usage error', (args, message) => {
    expect(() => parseDemoArgs(args)).toThrow(UsageError);
    expect(() => parseDemoArgs(args)).toThrow(message);
  });
});
