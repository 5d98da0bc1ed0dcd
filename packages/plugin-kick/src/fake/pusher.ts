/**
 * A local Pusher (protocol 7) WebSocket server on 127.0.0.1 speaking what
 * Kick's web client sees: `pusher:connection_established`, subscribe /
 * `pusher_internal:subscription_succeeded`, ping / pong, and
 * `App\Events\ChatMessageEvent` frames (data as a JSON string) on
 * `chatrooms.<id>.v2`. For the plugin's unofficial chat socket.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenLocal, Waiters } from '@streamsuites/kernel/testing';
import { WebSocketServer, type WebSocket } from 'ws';
import plainMessage from '../../fixtures/unofficial-pusher/chat-message-event.json' with { type: 'json' };
import { CHAT_MESSAGE_EVENT, chatroomChannel } from '../socket/types.js';

export interface FakeKickPusher {
  /** The app URL to put in plugins.kick.config.unofficialChat.url. */
  url: string;
  /** Channels subscribed so far (one entry per subscribe). */
  subscriptions(): string[];
  /** Connections accepted so far. */
  connections(): number;
  /** Sends a ChatMessageEvent to every socket subscribed to the chatroom; the captured example with this id, text and sender. */
  say(chatroomId: number, message: { id: string; text: string; sender?: { id: number; username: string } }): void;
  /** Sends any data as a ChatMessageEvent (for bad-shape tests). */
  sendRaw(chatroomId: number, data: unknown): void;
  /** Closes every client connection (the client should reconnect). */
  dropConnections(): void;
  until(predicate: () => boolean, message?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeKickPusher(): Promise<FakeKickPusher> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const subscribed = new Map<WebSocket, Set<string>>();
  const subscriptions: string[] = [];
  const waiters = new Waiters('fake kick pusher');
  let connections = 0;

  wss.on('connection', (ws) => {
    connections += 1;
    subscribed.set(ws, new Set());
    ws.send(JSON.stringify({ event: 'pusher:connection_established', data: JSON.stringify({ socket_id: `${connections}.${Date.now()}`, activity_timeout: 120 }) }));
    ws.on('message', (raw) => {
      let frame: { event?: string; data?: { channel?: string } };
      try {
        frame = JSON.parse(raw.toString()) as typeof frame;
      } catch {
        return;
      }
      if (frame.event === 'pusher:subscribe' && typeof frame.data?.channel === 'string') {
        subscribed.get(ws)?.add(frame.data.channel);
        subscriptions.push(frame.data.channel);
        ws.send(JSON.stringify({ event: 'pusher_internal:subscription_succeeded', data: '{}', channel: frame.data.channel }));
      } else if (frame.event === 'pusher:ping') {
        ws.send(JSON.stringify({ event: 'pusher:pong', data: '{}' }));
      }
      waiters.notify();
    });
    ws.on('close', () => {
      subscribed.delete(ws);
      waiters.notify();
    });
    waiters.notify();
  });
  await listenLocal(http);
  const port = (http.address() as AddressInfo).port;

  const sendRaw = (chatroomId: number, data: unknown) => {
    const channel = chatroomChannel(chatroomId);
    const frame = JSON.stringify({ event: CHAT_MESSAGE_EVENT, data: JSON.stringify(data), channel });
    for (const [ws, channels] of subscribed) if (channels.has(channel)) ws.send(frame);
  };

  return {
    url: `ws://127.0.0.1:${port}/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false`,
    subscriptions: () => [...subscriptions],
    connections: () => connections,
    say(chatroomId, message) {
      const data = structuredClone(plainMessage) as Record<string, any>;
      data.id = message.id;
      data.chatroom_id = chatroomId;
      data.content = message.text;
      data.created_at = new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
      if (message.sender !== undefined) {
        data.sender.id = message.sender.id;
        data.sender.username = message.sender.username;
        data.sender.slug = message.sender.username.toLowerCase();
      }
      sendRaw(chatroomId, data);
    },
    sendRaw,
    dropConnections() {
      for (const ws of wss.clients) ws.terminate();
    },
    until: (predicate, message) => waiters.until(predicate, { ...(message === undefined ? {} : { message }) }),
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
