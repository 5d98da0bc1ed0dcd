/**
 * Bus events added by the engagement plugin (STYLE item 8: one plain,
 * JSON-serializable payload object per event). Times are kernel clock
 * milliseconds. No event carries a voter's id, login or name.
 */

import type { PollCloseReason } from './polls.js';

export interface PollOptionResult {
  label: string;
  votes: number;
}

export interface PollOpenedEvent {
  creatorId: string;
  pollId: string;
  question: string;
  options: string[];
  openedAt: number;
  /** When the poll closes by itself (absent: it stays open until a poll.close). */
  closesAt?: number;
  at: number;
}

export interface PollVoteEvent {
  creatorId: string;
  pollId: string;
  /** Label of the option voted for. */
  option: string;
  /** 1-based option number. */
  optionNumber: number;
  /** The voter's previous option, when this vote changed it. */
  previousOption?: string;
  /** Platform and message id of the vote (they identify the message, not the voter). */
  platform: string;
  messageId: string;
  at: number;
}

export interface PollClosedEvent {
  creatorId: string;
  pollId: string;
  question: string;
  /**
   * `action`: a poll.close; `duration`: its durationSec ran out; `replaced`: a
   * poll.open while it was open (`polls.onOpenWhileOpen: "replace"`);
   * `restart`: it had no duration and an earlier run left it open.
   */
  reason: PollCloseReason;
  results: PollOptionResult[];
  totalVotes: number;
  /** Labels with the most votes (several on a tie; none without votes). */
  winners: string[];
  openedAt: number;
  /** For `duration`, the scheduled closing time, whenever it was noticed; for `restart`, when the creator started again. */
  closedAt: number;
  at: number;
}

export interface TallyChangedEvent {
  creatorId: string;
  tallyId: string;
  label: string;
  delta: number;
  /** The label's count after the change. */
  count: number;
  at: number;
}

export interface ScoreChangedEvent {
  creatorId: string;
  scoreboardId: string;
  label: string;
  delta: number;
  /** The label's score after the change. */
  score: number;
  at: number;
}

declare module '@streamsuites/kernel' {
  interface StreamSuitesEvents {
    'poll.opened': PollOpenedEvent;
    'poll.vote': PollVoteEvent;
    'poll.closed': PollClosedEvent;
    'tally.changed': TallyChangedEvent;
    'score.changed': ScoreChangedEvent;
  }
}
