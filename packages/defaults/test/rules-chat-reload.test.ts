import { describe, expect, it } from 'vitest';
import { type ChatMessage } from '@streamsuites/kernel';
import { chat } from './helpers/chat.js';
import { startTestKernel } from './helpers/kernel.js';
import { handlersPlugin } from './helpers/handlers.js';

/** A platform `local` whose replies are recorded with the message they answer. */
function local() {
  const replies: string[] = [];
  const plugin = handlersPlugin('local', [{ type: 'chat.reply', platform: 'local', handle: async ({ text }, ctx) => void replies.push(`${ctx.message?.text} -> ${String(text)}`) }]);
  return { plugin, replies };
}

const manifest = (reply: string, extra: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  ...top,
  creators: {
    alice: {
      enable: ['local'],
      triggers: [{ type: 'command', params: { command: '!clip' }, actions: [{ type: 'chat.reply', params: { text: 'clip!' } }] }],
      chatBehaviour: { autoReplies: [{ match: { command: '!rules' }, text: reply }], ...extra },
    },
  },
});
const say = (text: string, o: Partial<ChatMessage> = {}) => chat(text, { platform: 'local', ...o });

describe('chat rules on kernel.reload()', () => {
  it('changed rules apply from the next message; a reload with a rule that clashes with a trigger is rejected and the old rules stay', async () => {
    const p = local();
    const t = await startTestKernel({ plugins: [p.plugin], manifest: manifest('rules v1') });
    t.bus.emit('chat.message', say('!rules'));
    await t.kernel.idle();
    await t.kernel.reload(manifest('rules v2'));
    t.bus.emit('chat.message', say('!rules'));
    await t.kernel.idle();
    await expect(t.kernel.reload(manifest('rules v3', { bannedPhrases: [{ phrase: 'clip', action: 'delete' }] }))).rejects.toMatchObject({
      code: 'SS_ERR_RELOAD_REJECTED',
      details: { issues: [expect.objectContaining({ code: 'SS_ERR_RULES_BANNED_PHRASE_CONFLICT', path: '/creators/alice/chatBehaviour/bannedPhrases/0/phrase' })] },
    });
    t.bus.emit('chat.message', say('!rules'));
    await t.kernel.idle();
    expect(p.replies.filter((r) => r.startsWith('!rules'))).toEqual(['!rules -> rules v1', '!rules -> rules v2', '!rules -> rules v2']);
    await t.stop();
  });

  it('a new top-level monetization default reaches the creators without their own section', async () => {
    const p = local();
    const money = (text: string) => ({ monetization: { currency: 'USD', rules: [{ kinds: ['superchat'], min: 1, actions: [{ type: 'chat.reply', params: { text } }] }] } });
    const t = await startTestKernel({ plugins: [p.plugin], manifest: manifest('x', {}, money('thanks v1')) });
    const paid = () => say('gg', { monetary: { kind: 'superchat', amountMicros: 2_000_000, currency: 'USD' } });
    t.bus.emit('chat.message', paid());
    await t.kernel.idle();
    await t.kernel.reload(manifest('x', {}, money('thanks v2')));
    t.bus.emit('chat.message', paid());
    await t.kernel.idle();
    expect(p.replies).toEqual(['gg -> thanks v1', 'gg -> thanks v2']);
    await t.stop();
  });
});
