/**
 * The parts of a Live Stream API body the plugin reads, after validation
 * (api/parse.ts). Timestamps are epoch ms (Rumble sends RFC 3339 with mixed
 * offsets); everything else is as Rumble names it.
 */

export interface ApiChatEntry {
  username: string;
  text: string;
  badges: string[];
  createdAt: number;
  /** Rumble's `created_on` exactly as sent: part of the derived id. */
  createdOn: string;
}

export interface ApiRant extends ApiChatEntry {
  amountCents: number;
}

export interface ApiLivestream {
  id: string;
  title: string;
  createdAt?: number;
  isLive: boolean;
  category?: string;
  watchingNow?: number;
  messages: ApiChatEntry[];
  rants: ApiRant[];
}

export interface ApiFollower {
  username: string;
  at: number;
  /** As sent: part of the derived id. */
  raw: string;
}

export interface ApiSubscriber extends ApiFollower {
  amountCents: number;
}

export interface ApiBody {
  /** Rumble's clock, epoch ms. */
  now: number;
  /** `max_num_results`: lists are cut at this many entries (a full list may hide older ones). */
  maxResults?: number;
  username?: string;
  channelName?: string;
  followersTotal?: number;
  followers: ApiFollower[];
  subscribers: ApiSubscriber[];
  livestreams: ApiLivestream[];
}
