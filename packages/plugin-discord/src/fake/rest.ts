/**
 * The REST routes discord.js and the plugin use, answered from in-memory state
 * with Discord's JSON error bodies ({"message","code"}). Paths here are without
 * the /api/v10 prefix. Authorization: `Bot <token>` on every route except the
 * interaction callback and the webhook-token routes (discord.js sends those
 * with auth: false).
 */
import type { Interactions } from './interactions.js';
import { channelObject, messageObject, snowflake, storedCommand, userObject } from './payloads.js';
import type { RestAnswer } from './rate-limits.js';
import type { FakeBotUser, FakeGuild, StoredMessage } from './types.js';

export interface RestContext {
  isValidToken(token: unknown): boolean;
  readonly bot: FakeBotUser;
  readonly applicationId: string;
  readonly gatewayUrl: string;
  guilds(): FakeGuild[];
  identifies(): number;
  readonly interactions: Interactions;
}

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string | undefined;
}

type Json = Record<string, unknown>;

const ok = (body: unknown, status = 200): RestAnswer => ({ status, body, headers: {} });
const err = (status: number, message: string, code: number): RestAnswer => ({ status, body: { message, code }, headers: {} });
export const notFound = (): RestAnswer => err(404, '404: Not Found', 0);
export const unauthorized = (): RestAnswer => err(401, '401: Unauthorized', 0);
const unknownInteraction = (): RestAnswer => err(404, 'Unknown interaction', 10062);
const unknownWebhook = (): RestAnswer => err(404, 'Unknown Webhook', 10015);
const unknownMessage = (): RestAnswer => err(404, 'Unknown Message', 10008);
const unknownChannel = (): RestAnswer => err(404, 'Unknown Channel', 10003);
const missingAccess = (): RestAnswer => err(403, 'Missing Access', 50001);

/** Routes that carry their own credential (the interaction token) instead of the bot token. */
export function needsBotAuth(path: string): boolean {
  return !/^\/(interactions\/\d+\/[^/]+\/callback|webhooks\/\d+\/[^/]+(\/.*)?)$/.test(path);
}

export class RestState {
  readonly #ctx: RestContext;
  /** Key: guild id, or '' for global commands. */
  readonly #commands = new Map<string, Json[]>();
  readonly #messages = new Map<string, { stored: StoredMessage; wire: Json }[]>();

  constructor(ctx: RestContext) {
    this.#ctx = ctx;
  }

  commands(guildId: string): Json[] {
    return structuredClone(this.#commands.get(guildId) ?? []);
  }

  commandId(guildId: string, name: string): string | undefined {
    const find = (k: string) => this.#commands.get(k)?.find((c) => c.name === name)?.id as string | undefined;
    return find(guildId) ?? find('');
  }

  messages(channelId: string): StoredMessage[] {
    return (this.#messages.get(channelId) ?? []).map((m) => ({ ...m.stored }));
  }

  handle(r: RestRequest): RestAnswer {
    const seg = r.path.split('/').slice(1);
    const [a, b, c, d, e] = seg;
    const m = r.method;
    if (a === 'gateway' && seg.length === 2 && b === 'bot' && m === 'GET') return this.#gatewayBot();
    if (a === 'gateway' && seg.length === 1 && m === 'GET') return ok({ url: this.#ctx.gatewayUrl });
    if (a === 'users' && b === '@me' && seg.length === 2 && m === 'GET') return ok({ ...userObject(this.#ctx.bot, true), verified: true, mfa_enabled: false, flags: 0 });
    if (a === 'applications' && b === '@me' && seg.length === 2 && m === 'GET') return ok(this.#application());
    if (a === 'applications' && b !== undefined) {
      if (b !== this.#ctx.applicationId) return missingAccess();
      if (c === 'commands') return this.#commandRoute(m, '', seg.slice(3), r.body);
      if (c === 'guilds' && d !== undefined && e === 'commands') {
        if (!this.#guild(d)) return missingAccess();
        return this.#commandRoute(m, d, seg.slice(5), r.body);
      }
    }
    if (a === 'interactions' && b && c && d === 'callback' && seg.length === 4 && m === 'POST') return this.#callback(b, c, r.body, r.query);
    if (a === 'webhooks' && b && c) return this.#webhook(m, b, c, seg.slice(3), r.body);
    if (a === 'channels' && b) return this.#channel(m, b, seg.slice(2), r.body);
    return notFound();
  }

  #gatewayBot(): RestAnswer {
    return ok({
      url: this.#ctx.gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: Math.max(0, 1000 - this.#ctx.identifies()), reset_after: 14400000, max_concurrency: 1 },
    });
  }

  #application(): Json {
    return {
      id: this.#ctx.applicationId,
      name: this.#ctx.bot.username,
      icon: null,
      description: '',
      bot_public: false,
      bot_require_code_grant: false,
      flags: 40960,
      bot: userObject(this.#ctx.bot, true),
      owner: { id: '134127815531560960', username: 'owner', discriminator: '0', global_name: null, avatar: null },
      verify_key: '0'.repeat(64),
      team: null,
    };
  }

  #guild(id: string): FakeGuild | undefined {
    return this.#ctx.guilds().find((g) => g.id === id);
  }

  #channelInfo(id: string): { guildId: string; channel: Json } | undefined {
    for (const g of this.#ctx.guilds()) {
      const i = (g.channels ?? []).findIndex((c) => c.id === id);
      if (i >= 0) return { guildId: g.id, channel: channelObject(g.id, g.channels![i]!, i) };
    }
    return undefined;
  }

  // ------------------------------------------------------------- commands

  #commandRoute(m: string, key: string, rest: string[], body: unknown): RestAnswer {
    const list = this.#commands.get(key) ?? [];
    const guildId = key === '' ? undefined : key;
    if (rest.length === 0) {
      if (m === 'GET') return ok(list);
      if (m === 'PUT') {
        if (!Array.isArray(body)) return invalidForm('_errors', 'Expected an array');
        for (const [i, cmd] of body.entries()) {
          const problem = commandProblem(cmd);
          if (problem) return invalidForm(String(i), problem);
        }
        const next = (body as Json[]).map((cmd) => {
          const prev = list.find((p) => p.name === cmd.name && (p.type ?? 1) === (cmd.type ?? 1));
          return storedCommand(cmd, { id: (prev?.id as string) ?? snowflake(), applicationId: this.#ctx.applicationId, guildId });
        });
        this.#commands.set(key, next);
        return ok(next);
      }
      if (m === 'POST') {
        const problem = commandProblem(body);
        if (problem) return invalidForm('name', problem);
        const cmd = body as Json;
        const i = list.findIndex((p) => p.name === cmd.name && (p.type ?? 1) === (cmd.type ?? 1));
        const stored = storedCommand(cmd, { id: i >= 0 ? (list[i]!.id as string) : snowflake(), applicationId: this.#ctx.applicationId, guildId });
        const next = [...list];
        if (i >= 0) next[i] = stored;
        else next.push(stored);
        this.#commands.set(key, next);
        return ok(stored, i >= 0 ? 200 : 201);
      }
      return err(405, '405: Method Not Allowed', 0);
    }
    const i = list.findIndex((p) => p.id === rest[0]);
    if (rest.length !== 1) return notFound();
    if (i < 0) return err(404, 'Unknown application command', 10063);
    if (m === 'GET') return ok(list[i]);
    if (m === 'DELETE') {
      this.#commands.set(key, list.filter((_, j) => j !== i));
      return ok(null, 204);
    }
    if (m === 'PATCH') {
      const next = [...list];
      next[i] = storedCommand({ ...list[i], ...(body as Json) }, { id: list[i]!.id as string, applicationId: this.#ctx.applicationId, guildId });
      this.#commands.set(key, next);
      return ok(next[i]);
    }
    return err(405, '405: Method Not Allowed', 0);
  }

  // --------------------------------------------------------- interactions

  #callback(id: string, token: string, body: unknown, query: URLSearchParams): RestAnswer {
    const rec = this.#ctx.interactions.byId(id);
    if (rec === undefined || rec.token !== token || rec.expired) return unknownInteraction();
    if (rec.callback !== null) return err(400, 'Interaction has already been acknowledged.', 40060);
    const cb = body as { type?: unknown; data?: Json };
    if (typeof cb?.type !== 'number') return invalidForm('type', 'This field is required');
    const wantsAutocomplete = rec.payload.type === 4;
    if (wantsAutocomplete !== (cb.type === 8)) return err(400, 'Interaction response type is invalid for this interaction', 40043);
    rec.callback = { type: cb.type, ...(cb.data !== undefined ? { data: cb.data } : {}) };
    if (cb.type === 4 || cb.type === 5) {
      const data = cb.data ?? {};
      const flags = (typeof data.flags === 'number' ? data.flags : 0) | (cb.type === 5 ? 128 : 0); // 128 LOADING
      rec.original = this.#webhookMessage(rec.channelId, rec.guildId, cb.type === 4 ? { ...data, flags } : { flags });
    }
    if (query.get('with_response') !== 'true') return ok(null, 204);
    return ok({
      interaction: {
        id: rec.id,
        type: rec.payload.type,
        response_message_id: rec.original?.id,
        response_message_loading: cb.type === 5,
        response_message_ephemeral: (((rec.original?.flags as number | undefined) ?? 0) & 64) !== 0,
      },
      resource: { type: cb.type, ...(rec.original ? { message: rec.original } : {}) },
    });
  }

  #webhookMessage(channelId: string, guildId: string, body: Json, editedAt?: number): Json {
    return messageObject({
      id: snowflake(),
      channelId,
      guildId,
      author: this.#ctx.bot,
      body,
      createdAt: Date.now(),
      editedAt,
      webhookId: this.#ctx.applicationId,
      applicationId: this.#ctx.applicationId,
    });
  }

  #webhook(m: string, appId: string, token: string, rest: string[], body: unknown): RestAnswer {
    const rec = this.#ctx.interactions.byToken(token);
    if (appId !== this.#ctx.applicationId || rec === undefined || rec.callback === null) return unknownWebhook();
    if (rest.length === 0 && m === 'POST') {
      rec.followups.push(body);
      return ok(this.#webhookMessage(rec.channelId, rec.guildId, (body ?? {}) as Json));
    }
    if (rest.length === 2 && rest[0] === 'messages' && rest[1] === '@original') {
      if (rec.original === null) return unknownMessage();
      if (m === 'GET') return ok(rec.original);
      if (m === 'DELETE') {
        rec.original = null;
        return ok(null, 204);
      }
      if (m === 'PATCH') {
        const edit = (body ?? {}) as Json;
        rec.edits.push(edit);
        const prev = rec.original;
        const flags = ((prev.flags as number) & ~128) | (typeof edit.flags === 'number' ? edit.flags : 0);
        rec.original = { ...prev, ...pick(edit, ['content', 'embeds', 'components']), flags, edited_timestamp: new Date().toISOString() };
        return ok(rec.original);
      }
    }
    return notFound();
  }

  // -------------------------------------------------------------- channels

  #channel(m: string, channelId: string, rest: string[], body: unknown): RestAnswer {
    const info = this.#channelInfo(channelId);
    if (info === undefined) return unknownChannel();
    if (rest.length === 0 && m === 'GET') return ok(info.channel);
    if (rest[0] !== 'messages') return notFound();
    const list = this.#messages.get(channelId) ?? [];
    if (rest.length === 1 && m === 'POST') {
      const b = (body ?? {}) as Json;
      const hasContent = (typeof b.content === 'string' && b.content.length > 0) || (Array.isArray(b.embeds) && b.embeds.length > 0) || (Array.isArray(b.components) && b.components.length > 0);
      if (!hasContent) return err(400, 'Cannot send an empty message', 50006);
      if (typeof b.content === 'string' && b.content.length > 2000) return invalidForm('content', 'Must be 2000 or fewer in length.');
      const now = Date.now();
      const wire = messageObject({ id: snowflake(now), channelId, guildId: info.guildId, author: this.#ctx.bot, body: b, createdAt: now });
      const stored: StoredMessage = { id: wire.id as string, channelId, createdAt: now, ...pick(b, ['content', 'embeds']) };
      list.push({ stored, wire });
      this.#messages.set(channelId, list);
      return ok(wire);
    }
    if (rest.length === 2) {
      const msg = list.find((x) => x.stored.id === rest[1]);
      if (msg === undefined) return unknownMessage();
      if (m === 'GET') return ok(msg.wire);
      if (m === 'PATCH') {
        const b = (body ?? {}) as Json;
        const now = Date.now();
        Object.assign(msg.stored, pick(b, ['content', 'embeds']), { editedAt: now });
        msg.wire = { ...msg.wire, ...pick(b, ['content', 'embeds', 'components']), edited_timestamp: new Date(now).toISOString() };
        return ok(msg.wire);
      }
      if (m === 'DELETE') {
        this.#messages.set(channelId, list.filter((x) => x !== msg));
        return ok(null, 204);
      }
    }
    return notFound();
  }
}

function pick(obj: Json, keys: string[]): Json {
  const out: Json = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function invalidForm(field: string, message: string): RestAnswer {
  return {
    status: 400,
    body: { message: 'Invalid Form Body', code: 50035, errors: { [field]: { _errors: [{ code: 'BASE_TYPE_INVALID', message }] } } },
    headers: {},
  };
}

/** The checks Discord applies to a command body that matter for bots (name shape, description length). */
function commandProblem(cmd: unknown): string | null {
  if (typeof cmd !== 'object' || cmd === null) return 'Expected an object';
  const c = cmd as Json;
  if (typeof c.name !== 'string' || !/^[-_\p{L}\p{N}]{1,32}$/u.test(c.name)) return 'Command name is invalid';
  if ((c.type ?? 1) === 1) {
    if (c.name !== c.name.toLowerCase()) return 'Command name is invalid';
    if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 100) return 'Must be between 1 and 100 in length.';
  }
  return null;
}
