/** Internal records of the fake EventSub server, shared by the WebSocket side and the HTTP side. */
import type { WebSocket } from 'ws';
import type { EventSubSubscription } from '../../eventsub/types.js';
import type { FakeEventSubSessionInfo, FakeEventSubSessionState, FakeEventSubUser } from './types.js';

export interface TokenRecord {
  token: string;
  /** Empty for an app access token (client credentials): no user. */
  userId: string;
  scopes: string[];
  clientId: string;
  expiresAt: number;
}

export interface RefreshRecord {
  userId: string;
  scopes: string[];
  clientId: string;
}

export interface DeviceRecord {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  state: 'pending' | 'approved' | 'denied' | 'used';
  expiresAt: number;
  userId: string | null;
}

export interface SessionRecord {
  id: string;
  ws: WebSocket;
  state: FakeEventSubSessionState;
  keepaliveTimeoutSeconds: number;
  connectedAt: string;
  welcomedAt: number;
  everSubscribed: boolean;
  reconnectedFrom: string | null;
  closeCode: number | null;
  /** Status given to its subscriptions when it closes (set before a server-side close). */
  closeStatus: string | null;
  keepaliveTimer: NodeJS.Timeout | null;
  unusedTimer: NodeJS.Timeout | null;
  graceTimer: NodeJS.Timeout | null;
  sent: FakeEventSubSessionInfo['sent'];
}

export interface SubscriptionRecord {
  sub: EventSubSubscription & { transport: { method: 'websocket'; session_id: string; connected_at?: string } };
  clientId: string;
  userId: string;
}

export interface RedemptionRecord {
  id: string;
  broadcasterId: string;
  rewardId: string;
  status: 'UNFULFILLED' | 'FULFILLED' | 'CANCELED';
  event: Record<string, unknown>;
}

export interface ChatRecord {
  broadcaster: FakeEventSubUser;
  chatter: FakeEventSubUser;
  text: string;
}

export class UserDirectory {
  readonly #byId = new Map<string, FakeEventSubUser>();
  readonly #byLogin = new Map<string, FakeEventSubUser>();
  #nextId = 100_001;

  add(input: { login: string; id?: string; displayName?: string }): FakeEventSubUser {
    const login = input.login.toLowerCase();
    const existing = this.#byLogin.get(login);
    if (existing && (input.id === undefined || input.id === existing.id)) {
      if (input.displayName !== undefined) existing.displayName = input.displayName;
      return existing;
    }
    let id = input.id;
    if (id === undefined) {
      while (this.#byId.has(String(this.#nextId))) this.#nextId++;
      id = String(this.#nextId++);
    }
    const user: FakeEventSubUser = { id, login, displayName: input.displayName ?? input.login };
    this.#byId.set(id, user);
    this.#byLogin.set(login, user);
    return user;
  }

  byId(id: string): FakeEventSubUser | undefined {
    return this.#byId.get(id);
  }

  byLogin(login: string): FakeEventSubUser | undefined {
    return this.#byLogin.get(login.toLowerCase());
  }

  /** The user with this login, added when unknown. */
  ensure(login: string): FakeEventSubUser {
    return this.byLogin(login) ?? this.add({ login });
  }
}
