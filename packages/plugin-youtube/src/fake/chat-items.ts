/** Live chat items built like the API's: author details, the snippet of each event type, id and etag. */
import type { youtube_v3 } from '@googleapis/youtube';
import type { LiveChatItem } from '../types.js';
import type { ChatState } from './state.js';
import type { FakeAuthor } from './types.js';
import { channelIdFor, chatTime, etagOf, messageIdFor } from './wire.js';

export type AuthorDetails = youtube_v3.Schema$LiveChatMessageAuthorDetails;

export function authorDetailsOf(author: FakeAuthor | string, chat: ChatState): AuthorDetails {
  const a: FakeAuthor = typeof author === 'string' ? { displayName: author } : author;
  const channelId = a.channelId ?? channelIdFor(a.displayName);
  return {
    channelId,
    channelUrl: `http://www.youtube.com/channel/${channelId}`,
    displayName: a.displayName,
    profileImageUrl: `https://yt3.ggpht.com/ytc/fake_${channelId}=s88-c-k-c0x00ffffff-no-rj`,
    isVerified: a.isVerified ?? false,
    isChatOwner: a.isChatOwner ?? channelId === chat.channelId,
    isChatSponsor: a.isChatSponsor ?? false,
    isChatModerator: a.isChatModerator ?? false,
  };
}

/** Appends an item built like the API's: id, etag, snippet (publishedAt `at`) and authorDetails. */
export function appendChatItem(
  chat: ChatState,
  type: string,
  author: AuthorDetails,
  details: youtube_v3.Schema$LiveChatMessageSnippet,
  displayMessage: string | undefined,
  at: number,
): string {
  const id = messageIdFor(chat.liveChatId, chat.items.length + 1, at);
  const snippet: youtube_v3.Schema$LiveChatMessageSnippet = {
    type,
    liveChatId: chat.liveChatId,
    authorChannelId: author.channelId!,
    publishedAt: chatTime(at),
    hasDisplayContent: displayMessage !== undefined,
  };
  if (displayMessage !== undefined) snippet.displayMessage = displayMessage;
  Object.assign(snippet, details);
  const item: LiveChatItem = { kind: 'youtube#liveChatMessage', etag: '', id, snippet, authorDetails: author };
  item.etag = etagOf(item);
  chat.append(item);
  return id;
}

export function formatAmount(micros: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(micros / 1_000_000);
  } catch {
    return `${currency} ${(micros / 1_000_000).toFixed(2)}`;
  }
}

/** Super Chat tiers by amount (USD-like thresholds): 1 (<2) ... 7 (>=100). */
export function tierOf(micros: number): number {
  const units = micros / 1_000_000;
  const limits = [2, 5, 10, 20, 50, 100];
  const i = limits.findIndex((l) => units < l);
  return i === -1 ? 7 : i + 1;
}

export function bannedDetails(target: AuthorDetails, durationSec: number | undefined): youtube_v3.Schema$LiveChatUserBannedMessageDetails {
  const details: youtube_v3.Schema$LiveChatUserBannedMessageDetails = {
    bannedUserDetails: {
      channelId: target.channelId,
      channelUrl: target.channelUrl,
      displayName: target.displayName,
      profileImageUrl: target.profileImageUrl,
    },
    banType: durationSec === undefined ? 'permanent' : 'temporary',
  };
  // uint64 on the wire: a string.
  if (durationSec !== undefined) details.banDurationSeconds = String(durationSec);
  return details;
}
