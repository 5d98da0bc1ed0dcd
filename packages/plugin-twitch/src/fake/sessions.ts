/**
 * What the fake holds between requests — client sessions, channels, what
 * clients sent — and how server lines reach a client (capabilities and framing).
 */
import type { WebSocket } from 'ws';
import { type ChannelState, createChannel } from './channels.js';
import type { Framing, PongRecord, ReceivedLine, SentChatMessage } from './types.js';
import { routeOf, stripTags } from './wire.js';

/** Twitch-specific commands the server only sends with the `twitch.tv/commands` capability. */
const COMMANDS_CAP_ONLY = new Set(['USERSTATE', 'ROOMSTATE', 'GLOBALUSERSTATE', 'CLEARCHAT', 'CLEARMSG', 'USERNOTICE', 'HOSTTARGET', 'RECONNECT', 'WHISPER']);

/** One client connection. */
export interface Session {
  id: number;
  ws: WebSocket;
  nick: string | null;
  pass: string | null;
  caps: Set<string>;
  registered: boolean;
  anonymous: boolean;
  channels: Set<string>;
  connectedAt: number;
}

export const stripOauth = (token: string): string => token.replace(/^oauth:/i, '');

export class ChatServerState {
  readonly sessions = new Map<number, Session>();
  readonly channels = new Map<string, ChannelState>();
  readonly received: ReceivedLine[] = [];
  readonly sent: SentChatMessage[] = [];
  readonly pongs: PongRecord[] = [];
  /** Accepted tokens (without `oauth:`); null accepts any well-formed one. */
  validTokens: Set<string> | null = null;
  framing: Framing;
  /** While true, client PINGs go unanswered (`stallPongs`). */
  stalled = false;

  constructor(
    readonly now: () => number,
    framing: Framing,
  ) {
    this.framing = framing;
  }

  channel(name: string): ChannelState {
    let channel = this.channels.get(name);
    if (!channel) this.channels.set(name, (channel = createChannel(name)));
    return channel;
  }

  /** Logged-in sessions that joined `channel`. */
  joined(channel: string): Session[] {
    return [...this.sessions.values()].filter((s) => s.registered && s.channels.has(channel));
  }

  /** Sends server-built lines, honouring the client's capabilities and the framing mode. */
  send(s: Session, lines: string[]): void {
    const out: string[] = [];
    for (const line of lines) {
      if (!s.caps.has('twitch.tv/commands') && COMMANDS_CAP_ONLY.has(routeOf(line).command)) continue;
      out.push(s.caps.has('twitch.tv/tags') ? line : stripTags(line));
    }
    this.write(s, out);
  }

  /** Writes lines as-is, each `\r\n`-terminated, one per frame or all in one frame. */
  write(s: Session, lines: string[]): void {
    if (lines.length === 0 || s.ws.readyState !== s.ws.OPEN) return;
    if (this.framing === 'batch') s.ws.send(lines.map((l) => `${l}\r\n`).join(''));
    else for (const l of lines) s.ws.send(`${l}\r\n`);
  }
}
