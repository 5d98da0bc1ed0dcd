import { describe, expectTypeOf, it } from 'vitest';
import {
  defineTriggerType,
  definePlugin,
  triggerTypesExtensionPoint,
  Type,
  type AnyTriggerType,
  type ChatMessage,
  type TriggerType,
  type TSchema,
} from '@streamsuites/kernel';
import { commandTriggerType, keywordTriggerType, regexTriggerType } from '../src/triggers/builtin-types.js';
import type { TriggerRegex } from '../src/triggers/regex.js';

const paramsSchema = Type.Object(
  {
    count: Type.Integer({ minimum: 2, default: 5 }),
    windowSec: Type.Number({ default: 30 }),
    emote: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

interface Params {
  count: number;
  windowSec: number;
  emote?: string;
}

describe('defineTriggerType', () => {
  it('types params from the typebox schema, never any', () => {
    defineTriggerType({
      type: 'combo',
      paramsSchema,
      compile(params) {
        expectTypeOf(params).not.toBeAny();
        expectTypeOf(params).toEqualTypeOf<Params>();
        return params;
      },
      match: () => undefined,
    });
  });

  it('types the state of index() and match() from what compile() returns', () => {
    const combo = defineTriggerType({
      type: 'combo',
      paramsSchema,
      compile: ({ count }) => ({ needed: count, seen: new Map<string, number[]>() }),
      index(state) {
        expectTypeOf(state).toEqualTypeOf<{ needed: number; seen: Map<string, number[]> }>();
        return {};
      },
      match(message, state) {
        expectTypeOf(message).toEqualTypeOf<ChatMessage>();
        expectTypeOf(state).not.toBeAny();
        expectTypeOf(state.needed).toEqualTypeOf<number>();
        return undefined;
      },
    });
    expectTypeOf(combo).toMatchTypeOf<TriggerType<Params, { needed: number; seen: Map<string, number[]> }>>();
    expectTypeOf(combo.paramsSchema).toEqualTypeOf<typeof paramsSchema>();
  });

  it('without compile(), the state is the params', () => {
    defineTriggerType({
      type: 'plain',
      paramsSchema: Type.Object({ word: Type.String() }),
      match(message, state) {
        expectTypeOf(state).toEqualTypeOf<{ word: string }>();
        return message.text.includes(state.word) ? [state.word] : undefined;
      },
    });
  });

  it('refuses params the schema does not have, wrong states and wrong match results', () => {
    defineTriggerType({
      type: 'bad',
      paramsSchema,
      // @ts-expect-error — `limit` is not a param of this schema
      compile: ({ limit }) => ({ limit }),
      match: () => undefined,
    });
    defineTriggerType({
      type: 'bad',
      paramsSchema,
      compile: ({ count }) => ({ count }),
      // @ts-expect-error — the state has `count`, not `total`
      match: (_message, state) => [String(state.total)],
    });
    defineTriggerType({
      type: 'bad',
      paramsSchema,
      // @ts-expect-error — match returns string[] or undefined, not a boolean
      match: () => true,
    });
    // @ts-expect-error — paramsSchema is required
    defineTriggerType({ type: 'bad', match: () => undefined });
  });

  it('what it returns goes into the trigger types extension point as it is', () => {
    const plain = defineTriggerType({ type: 'plain', paramsSchema: Type.Object({}), match: () => [] });
    expectTypeOf(plain).toMatchTypeOf<AnyTriggerType>();
    expectTypeOf(triggerTypesExtensionPoint.T).toEqualTypeOf<AnyTriggerType>();
    definePlugin({
      id: 'plain',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.extend(triggerTypesExtensionPoint, plain);
      },
    });
  });

  it('the built-in types are declared with it: their params come from their schemas', () => {
    expectTypeOf(commandTriggerType.paramsSchema).not.toEqualTypeOf<TSchema>();
    expectTypeOf<Parameters<NonNullable<typeof commandTriggerType.compile>>[0]>().toEqualTypeOf<{ command: string; aliases?: string[] }>();
    expectTypeOf<Parameters<NonNullable<typeof keywordTriggerType.compile>>[0]>().toEqualTypeOf<{ keywords: string[]; wholeWord?: boolean }>();
    expectTypeOf<Parameters<typeof regexTriggerType.match>[1]>().toEqualTypeOf<{ regex: TriggerRegex; literal: string | undefined }>();
  });
});
