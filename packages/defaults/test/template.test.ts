import { chatMessage } from '@streamsuites/kernel/testing';
import { describe, expect, it } from 'vitest';
import { compileActions, fillActions, splitArgs } from '../src/triggers/template.js';

describe('splitArgs', () => {
  it('agrees with /"([^"]*)"|(\\S+)/g on 20,000 generated texts', () => {
    let seed = 5;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pieces = ['a', 'bc', '"', '" ', ' "', ' ', '  ', '\t', '\u00a0', '\u3000', '😀', 'é', '""', '"x y"', '\n'];
    for (let n = 0; n < 20_000; n++) {
      const text = Array.from({ length: Math.floor(rand() * 9) }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
      const expected = [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
      expect(splitArgs(text), JSON.stringify(text)).toEqual(expected);
    }
    expect(splitArgs('!clip 45 "funny moment"')).toEqual(['!clip', '45', 'funny moment']);
  });
});

describe('compileActions', () => {
  it('fills like fillActions, every time, with fresh params', () => {
    const actions = [{ type: 'chat.reply', params: { text: 'hi {user} {arg1} {args:2} {nope} {event.user.name}', list: ['{login}', 3, { deep: '{channel}' }], n: 1 } }];
    const fill = compileActions(actions);
    const message = chatMessage({ text: '!x a b c', author: { displayName: 'Ann', login: 'ann' }, channel: 'chan' });
    const first = fill(message, ['a', 'b', 'c'], (path) => `<${path}>`);
    expect(first).toEqual(fillActions(actions, message, ['a', 'b', 'c'], (path) => `<${path}>`));
    expect(first[0]!.params).toEqual({ text: 'hi Ann a b c {nope} <user.name>', list: ['ann', 3, { deep: 'chan' }], n: 1 });
    expect(fill(message, [])[0]!.params.text).toBe('hi Ann   {nope} {event.user.name}');
    // Fresh containers each call: changing one result does not change the next.
    (first[0]!.params.list as unknown[]).push('x');
    expect(fill(message, [])[0]!.params.list).toHaveLength(3);
  });
});
