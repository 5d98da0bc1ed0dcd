import { expect, it } from 'vitest';
import { chatSafe } from '../src/transport.js';

it('chat text cannot become a command or a second IRC line', () => {
  expect(chatSafe('/ban viewer')).toBe('\u200b/ban viewer');
  expect(chatSafe('.timeout viewer 600')).toBe('\u200b.timeout viewer 600');
  expect(chatSafe('\\me waves')).toBe('\u200b\\me waves');
  expect(chatSafe('hi\r\nPRIVMSG #other :spam')).toBe('hi PRIVMSG #other :spam');
  expect(chatSafe('hello /ban')).toBe('hello /ban');
});
