import { createServiceRef } from '../service-ref.js';

/** One chat account: a platform and the platform's stable user id (never the login, which can change). */
export interface AccountRef {
  platform: string;
  userId: string;
}

/** How an account came to belong to a person. */
export type LinkSource = 'operator' | 'chat';

export interface PersonAccount extends AccountRef {
  source: LinkSource;
  /** Kernel clock time of the link. */
  linkedAt: number;
}

/**
 * One identity across platforms. Per-user cooldowns, poll votes, scores and
 * chat limits key on `personKey()`, so a viewer linked on Twitch and YouTube
 * is one person: `person:<id>` for a linked account, `<platform>:<userId>`
 * for any other. Links come from the operator's configuration and from the
 * viewer's own opt-in (`!link`); they live in the state store and are never
 * written to public exports.
 *
 * `personKey` is synchronous and cheap: it runs for every chat message.
 */
export interface IdentityMap {
  /** `person:<id>` when the account is linked, else `<platform>:<userId>`. */
  personKey(platform: string, userId: string): string;
  /** The person an account belongs to, if linked. */
  personOf(account: AccountRef): string | undefined;
  /** The accounts linked to a person. */
  accounts(personId: string): PersonAccount[];
  /** Links an account to a person (moving it from any other person); persisted before it resolves. */
  link(personId: string, account: AccountRef, source: LinkSource): Promise<void>;
  /** Removes an account's link; persisted before it resolves. */
  unlink(account: AccountRef): Promise<void>;
}

/** The process-wide identity map (the default plugin `identity` of @streamsuites/defaults provides it). */
export const identityMapRef = createServiceRef<IdentityMap>({
  id: 'kernel.identity',
  methods: ['personKey', 'personOf', 'accounts', 'link', 'unlink'],
});
