import type { AccountRef, Clock, IdentityMap, LinkSource, Logger, PersonAccount, StateStore } from '@streamsuites/kernel';

/** Where links are kept: account key → { personId, source, linkedAt }. Never exported. */
export const IDENTITY_NAMESPACE = 'identity.links';

export interface StoredLink {
  personId: string;
  source: LinkSource;
  linkedAt: number;
}

const accountKey = (platform: string, userId: string) => `${platform}:${userId}`;

/**
 * The identity map kept in the state store. Lookups are one Map read (they
 * run per chat message); links are written through before they resolve.
 */
export class StoredIdentityMap implements IdentityMap {
  readonly #links = new Map<string, StoredLink>();
  readonly #store: StateStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #loaded: Promise<void> | undefined;

  constructor(deps: { store: StateStore; clock: Clock; logger: Logger }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
  }

  /** Reads persisted links (once); malformed rows are logged and skipped. */
  load(): Promise<void> {
    return (this.#loaded ??= (async () => {
      for (const [key, value] of await this.#store.entries<StoredLink>(IDENTITY_NAMESPACE)) {
        if (isStoredLink(value)) this.#links.set(key, value);
        else this.#logger.warn({ key }, 'ignoring a malformed identity link in the state store');
      }
    })());
  }

  personKey(platform: string, userId: string): string {
    const link = this.#links.get(accountKey(platform, userId));
    return link === undefined ? accountKey(platform, userId) : `person:${link.personId}`;
  }

  personOf(account: AccountRef): string | undefined {
    return this.#links.get(accountKey(account.platform, account.userId))?.personId;
  }

  /** The account's link with how it was made (the chat flow never moves an operator's link). */
  linkOf(account: AccountRef): Readonly<StoredLink> | undefined {
    return this.#links.get(accountKey(account.platform, account.userId));
  }

  /**
   * Makes the operator's links those of `wanted` (account key → person id):
   * operator links no longer wanted are removed, new ones written (an
   * operator link replaces a chat link of the same account); chat links of
   * other accounts stay. Unchanged links keep their time.
   */
  async applyOperatorLinks(wanted: ReadonlyMap<string, string>): Promise<{ added: number; removed: number }> {
    await this.load();
    let added = 0;
    let removed = 0;
    for (const [key, link] of [...this.#links]) {
      if (link.source !== 'operator' || wanted.has(key)) continue;
      await this.#store.delete(IDENTITY_NAMESPACE, key);
      this.#links.delete(key);
      removed++;
    }
    const now = this.#clock.now();
    for (const [key, personId] of wanted) {
      const current = this.#links.get(key);
      if (current?.source === 'operator' && current.personId === personId) continue;
      const link: StoredLink = { personId, source: 'operator', linkedAt: now };
      await this.#store.set(IDENTITY_NAMESPACE, key, { ...link });
      this.#links.set(key, link);
      added++;
    }
    return { added, removed };
  }

  accounts(personId: string): PersonAccount[] {
    const out: PersonAccount[] = [];
    for (const [key, link] of this.#links) {
      if (link.personId !== personId) continue;
      const at = key.indexOf(':');
      out.push({ platform: key.slice(0, at), userId: key.slice(at + 1), source: link.source, linkedAt: link.linkedAt });
    }
    return out.sort((a, b) => a.platform.localeCompare(b.platform) || a.userId.localeCompare(b.userId));
  }

  async link(personId: string, account: AccountRef, source: LinkSource): Promise<void> {
    const key = accountKey(account.platform, account.userId);
    const link: StoredLink = { personId, source, linkedAt: this.#clock.now() };
    await this.#store.set(IDENTITY_NAMESPACE, key, { ...link });
    this.#links.set(key, link);
  }

  async unlink(account: AccountRef): Promise<void> {
    const key = accountKey(account.platform, account.userId);
    await this.#store.delete(IDENTITY_NAMESPACE, key);
    this.#links.delete(key);
  }
}

function isStoredLink(value: unknown): value is StoredLink {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<StoredLink>;
  return typeof v.personId === 'string' && v.personId !== '' && (v.source === 'operator' || v.source === 'chat') && typeof v.linkedAt === 'number';
}
