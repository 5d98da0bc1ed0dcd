import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '@streamsuites/kernel';
import { SS_ERR_KICK_WEBHOOK_LISTEN } from '../errors.js';
import type { SeenMessageIds } from './seen.js';
import { verifyKickSignature } from './verify.js';

/** One verified, first-time delivery. */
export interface KickDelivery {
  messageId: string;
  eventType: string;
  eventVersion: string;
  subscriptionId?: string;
  /** Kick-Event-Message-Timestamp as ms since epoch. */
  timestamp: number;
  payload: unknown;
}

export interface WebhookServerOptions {
  host: string;
  port: number;
  path: string;
  maxAgeMs: number;
  maxBodyBytes: number;
  publicKey: () => Promise<KeyObject>;
  seen: SeenMessageIds;
  now: () => number;
  logger: Logger;
  /** Handles an accepted delivery; a throw is logged, Kick still gets 200 (a retry would not parse better). */
  onDelivery: (delivery: KickDelivery) => void;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * The endpoint Kick POSTs webhooks to. Order of checks: headers present →
 * signature (401 when bad; logged without the body) → timestamp within
 * maxAge (400 when stale) → message id not seen (200, ignored) → handled.
 */
export class WebhookServer {
  readonly #server: Server;
  #url: string | undefined;

  constructor(private readonly options: WebhookServerOptions) {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        options.logger.error({ err: error }, 'kick webhook: handling a delivery failed');
        if (!res.headersSent) reply(res, 500, 'internal error');
      });
    });
  }

  get url(): string | undefined {
    return this.#url;
  }

  async listen(): Promise<string> {
    const { host, port, path } = this.options;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(new SS_ERR_KICK_WEBHOOK_LISTEN(`${host}:${port}`, error.message, { cause: error }));
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    const address = this.#server.address();
    const bound = typeof address === 'object' && address !== null ? address.port : port;
    this.#url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}${path}`;
    return this.#url;
  }

  async close(): Promise<void> {
    if (!this.#server.listening) return;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger } = this.options;
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname !== this.options.path) return reply(res, 404, 'not found');
    if (req.method !== 'POST') return reply(res, 405, 'POST only');
    const body = await readBody(req, this.options.maxBodyBytes);
    if (body === undefined) return reply(res, 413, 'body too large');

    const messageId = header(req, 'kick-event-message-id');
    const timestampText = header(req, 'kick-event-message-timestamp');
    const signature = header(req, 'kick-event-signature');
    const eventType = header(req, 'kick-event-type');
    // What a refusal is logged with: never the body, never the signature.
    const about = { messageId, eventType, remote: req.socket.remoteAddress };
    if (messageId === undefined || timestampText === undefined || signature === undefined || eventType === undefined) {
      logger.warn({ ...about, bytes: body.length }, 'kick webhook refused: Kick-Event-* headers missing (401)');
      return reply(res, 401, 'missing Kick-Event headers');
    }
    const key = await this.options.publicKey();
    if (!verifyKickSignature(key, messageId, timestampText, body, signature)) {
      logger.warn({ ...about, bytes: body.length }, 'kick webhook refused: Kick-Event-Signature does not verify (401)');
      return reply(res, 401, 'bad signature');
    }
    const timestamp = Date.parse(timestampText);
    const ageMs = this.options.now() - timestamp;
    if (!Number.isFinite(timestamp) || Math.abs(ageMs) > this.options.maxAgeMs) {
      logger.warn({ ...about, timestamp: timestampText }, 'kick webhook refused: Kick-Event-Message-Timestamp outside the accepted window (400)');
      return reply(res, 400, 'stale timestamp');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      logger.warn(about, 'kick webhook refused: the signed body is not JSON (400)');
      return reply(res, 400, 'not JSON');
    }
    if (!(await this.options.seen.claim(messageId))) {
      logger.debug(about, 'kick webhook: redelivery of a message id already handled, ignored');
      return reply(res, 200, 'duplicate');
    }
    const subscriptionId = header(req, 'kick-event-subscription-id');
    try {
      this.options.onDelivery({
        messageId,
        eventType,
        eventVersion: header(req, 'kick-event-version') ?? '1',
        ...(subscriptionId === undefined ? {} : { subscriptionId }),
        timestamp,
        payload,
      });
    } catch (error) {
      logger.error({ ...about, err: error }, 'kick webhook: the delivery could not be handled');
    }
    reply(res, 200, 'ok');
  }
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

/** The raw body (the signature covers its exact bytes), or undefined past `limit`. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
