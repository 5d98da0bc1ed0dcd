import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';

/** The cooldown levels one trigger match asks for (a level without a duration is not checked). */
export interface CooldownRequest {
  triggerId: string;
  creatorId: string;
  /** `<platform>:<user id>`, or `person:<id>` for an account linked to a person (the identity map). */
  userKey: string;
  /** Per user, per creator, per trigger. */
  userMs?: number;
  /** Per creator, per trigger. */
  creatorMs?: number;
  /** Per trigger id, across every creator sharing this book. */
  globalMs?: number;
  /**
   * Who asks: the message (`<platform>:<message id>`). A level this holder
   * reserved itself lets it through again without extending it, so a
   * redelivered message is not refused by the cooldown its first run set.
   */
  holder?: string;
}

/**
 * Where trigger cooldowns live. One root service: global cooldowns span
 * creators. The default keeps them in memory and writes them through to the
 * state store (a restart keeps them); a distributed book (such as
 * @streamsuites/scale-redis's) shares them between processes, so a global
 * cooldown holds however many processes serve the creators.
 */
export interface CooldownBook {
  /** Reads persisted cooldowns; called once before any creator starts. */
  load(): Promise<void>;
  /**
   * For each request in order: when none of its levels is cooling down,
   * reserves all of them and answers true; otherwise reserves nothing and
   * answers false. Each request is atomic (two messages racing for one
   * trigger can never both pass), and later requests see earlier ones'
   * reservations. Resolves once the reservations are durable where the book
   * keeps them.
   */
  reserve(requests: readonly CooldownRequest[]): Promise<boolean[]>;
}

export const cooldownBookRef: ServiceRef<CooldownBook, 'root'> = createServiceRef<CooldownBook>({
  id: 'kernel.cooldowns',
  methods: ['load', 'reserve'],
  scope: 'root',
});
