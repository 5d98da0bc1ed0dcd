/**
 * How the fake answers what a client sends: capability negotiation, login
 * (PASS / NICK, anonymous `justinfan`), PING / PONG, JOIN / PART, and a bot's
 * PRIVMSG under the channel's send policy.
 */
import { checkSend } from './channels.js';
import {
  type FakeUser,
  globalUserStateLine,
  hostmask,
  joinLines,
  MSG_DUPLICATE,
  MSG_RATELIMIT,
  msgSlowmode,
  noticeLine,
  privmsgLine,
  roomStateLine,
  SERVER,
  userStateLine,
  welcomeLines,
} from './messages.js';
import { type ChatServerState, type Session, stripOauth } from './sessions.js';
import type { SentChatMessage } from './types.js';
import { type ClientLine, normalizeChannel, parseClientLine, type TagSet } from './wire.js';

const KNOWN_CAPS = new Set(['twitch.tv/tags', 'twitch.tv/commands', 'twitch.tv/membership']);

/** Records `raw` and answers it. */
export function handleClientLine(state: ChatServerState, s: Session, raw: string): void {
  state.received.push({ clientId: s.id, line: raw, at: state.now() });
  const msg = parseClientLine(raw);
  if (!msg) return;
  switch (msg.command) {
    case 'CAP':
      return onCap(state, s, msg);
    case 'PASS':
      s.pass = msg.params[0] ?? null;
      return;
    case 'NICK':
      return onNick(state, s, msg.params[0]);
    case 'PING':
      return onPing(state, s, msg.params[0]);
    case 'PONG':
      state.pongs.push({ clientId: s.id, arg: msg.params[0] ?? null, at: state.now() });
      return;
  }
  if (!s.registered) return; // the real server ignores commands before login
  switch (msg.command) {
    case 'JOIN':
      for (const c of (msg.params[0] ?? '').split(',')) if (c) onJoin(state, s, normalizeChannel(c));
      return;
    case 'PART':
      for (const c of (msg.params[0] ?? '').split(',')) if (c) onPart(state, s, normalizeChannel(c));
      return;
    case 'PRIVMSG':
      return onPrivmsg(state, s, msg);
  }
}

function onCap(state: ChatServerState, s: Session, msg: ClientLine): void {
  const sub = (msg.params[0] === '*' ? msg.params[1] : msg.params[0])?.toUpperCase();
  if (sub === 'LS') return state.send(s, [`:${SERVER} CAP * LS :${[...KNOWN_CAPS].join(' ')}`]);
  if (sub !== 'REQ') return;
  const requested = (msg.params.at(-1) ?? '').split(' ').filter(Boolean);
  const ok = requested.every((c) => KNOWN_CAPS.has(c));
  if (ok) for (const c of requested) s.caps.add(c);
  state.send(s, [`:${SERVER} CAP * ${ok ? 'ACK' : 'NAK'} :${requested.join(' ')}`]);
}

function onNick(state: ChatServerState, s: Session, nick: string | undefined): void {
  if (s.registered || !nick) return;
  s.nick = nick.toLowerCase();
  if (/^justinfan\d+$/.test(s.nick)) {
    s.anonymous = true; // anonymous read-only login, no PASS needed
  } else if (!s.pass || !/^oauth:/i.test(s.pass)) {
    return reject(state, s, 'Improperly formatted auth');
  } else if (state.validTokens && !state.validTokens.has(stripOauth(s.pass))) {
    return reject(state, s, 'Login authentication failed');
  }
  s.registered = true;
  const lines = welcomeLines(s.nick);
  if (!s.anonymous) lines.push(globalUserStateLine(s.nick));
  state.send(s, lines);
}

/** What Twitch does on a bad login: one NOTICE to `*`, then it closes the socket. */
function reject(state: ChatServerState, s: Session, text: string): void {
  state.send(s, [noticeLine('*', text)]);
  s.ws.close(1000);
}

function onPing(state: ChatServerState, s: Session, arg: string | undefined): void {
  if (state.stalled) return;
  // With an argument Twitch answers `:tmi.twitch.tv PONG tmi.twitch.tv :<arg>`
  // (fixtures/twitch/connection.irc). tmi.js sends a bare `PING` and only
  // recognises a prefix-less `PONG`, so that is what a bare PING gets.
  state.send(s, [arg === undefined ? `PONG :${SERVER}` : `:${SERVER} PONG ${SERVER} :${arg}`]);
}

function onJoin(state: ChatServerState, s: Session, name: string): void {
  const nick = s.nick as string;
  const channel = state.channel(name);
  s.channels.add(name);
  state.send(s, [
    ...joinLines(nick, name),
    ...(s.anonymous ? [] : [userStateLine(nick, name, channel.botRole)]),
    roomStateLine(name, channel.room),
  ]);
}

function onPart(state: ChatServerState, s: Session, name: string): void {
  if (!s.channels.delete(name)) return;
  state.send(s, [`:${hostmask(s.nick as string)} PART #${name}`]);
}

function onPrivmsg(state: ChatServerState, s: Session, msg: ClientLine): void {
  const target = msg.params[0];
  if (s.anonymous || !target?.startsWith('#')) return; // anonymous users cannot chat
  const nick = s.nick as string;
  const name = normalizeChannel(target);
  const channel = state.channel(name);
  const text = msg.params[1] ?? '';
  const now = state.now();
  const history = state.sent.filter((m) => m.channel === name);
  const verdict = checkSend(channel, history, nick, text, now);
  const record: SentChatMessage = { clientId: s.id, nick, channel: name, text, tags: msg.tags, at: now };
  state.sent.push(record);
  if (verdict) {
    record.rejected = verdict.rejected;
    const notice =
      verdict.rejected === 'msg_ratelimit' ? MSG_RATELIMIT
      : verdict.rejected === 'msg_duplicate' ? MSG_DUPLICATE
      : msgSlowmode(verdict.waitSeconds ?? channel.room.slow);
    state.send(s, [noticeLine(`#${name}`, notice, verdict.rejected)]);
    return;
  }
  // Accepted: the sender gets USERSTATE (not its own PRIVMSG), everyone else the PRIVMSG.
  const user: FakeUser = { login: nick, role: channel.botRole };
  const { line, id } = privmsgLine(name, channel.room.roomId, user, text, pickReplyTags(msg.tags), now);
  record.id = id;
  state.send(s, [userStateLine(nick, name, channel.botRole, id)]);
  for (const other of state.joined(name)) if (other !== s) state.send(other, [line]);
}

/** The bot's own tags that Twitch carries over to the PRIVMSG others see (replies). */
function pickReplyTags(tags: Record<string, string>): TagSet {
  const out: TagSet = {};
  const parent = tags['reply-parent-msg-id'];
  if (parent) out['reply-parent-msg-id'] = parent;
  return out;
}
