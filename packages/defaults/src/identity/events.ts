/**
 * Identity events. No platform user id in them: only the person id and the
 * platforms, so a listener that logs or exports events cannot leak accounts.
 */
export interface IdentityLinkedEvent {
  /** Whose chat the link was made in (chat links). */
  creatorId?: string;
  personId: string;
  /** The platforms of the two accounts the link joined. */
  platforms: string[];
  source: 'operator' | 'chat';
  at: number;
}

export interface IdentityUnlinkedEvent {
  creatorId?: string;
  personId: string;
  platform: string;
  source: 'operator' | 'chat';
  at: number;
}

declare module '@streamsuites/kernel' {
  interface StreamSuitesEvents {
    'identity.linked': IdentityLinkedEvent;
    'identity.unlinked': IdentityUnlinkedEvent;
  }
}
