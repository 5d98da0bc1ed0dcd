import type { ChatRoomState } from '../events.js';

/**
 * The room modes last delivered per channel, shared by every connection of a
 * creator. ROOMSTATE carries no id or timestamp, and each connection gets
 * the full state when it joins and every change after; a ROOMSTATE is
 * delivered only when it changes a mode, so a second connection (or a
 * reconnect) repeats nothing. The one case it gets wrong: a mode toggled twice
 * within the milliseconds one connection lags behind the other makes the
 * lagging copy of the first change count as a change again (the final state
 * is still right once that connection's copy of the second change arrives).
 */
export class RoomStates {
  readonly #rooms = new Map<string, ChatRoomState>();

  /** Applies `state` (the modes one ROOMSTATE carried) to `channel`; true when any mode changed. */
  changed(channel: string, state: ChatRoomState): boolean {
    let room = this.#rooms.get(channel);
    if (room === undefined) this.#rooms.set(channel, (room = {}));
    let changed = false;
    for (const key of Object.keys(state) as (keyof ChatRoomState)[]) {
      if (room[key] !== state[key]) {
        (room as Record<string, unknown>)[key] = state[key];
        changed = true;
      }
    }
    // followers-only off carries no minutes: forget the old ones.
    if (state.followersOnly === false && room.followersOnlyMinutes !== undefined) delete room.followersOnlyMinutes;
    return changed;
  }
}
