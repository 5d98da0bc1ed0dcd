/*
 * The Lua scripts of the Redis rate-limit governor. Times are Redis TIME in
 * ms; a grant at `at` counts while `now - at <= windowMs` (both ends
 * included) and frees its units at `at + windowMs + 1`, exactly as the
 * default's SlidingWindowLog, so no closed interval of windowMs ever holds
 * more than `capacity` units.
 *
 * KEYS[1] log ZSET: member "<cost>:<grant id>", score = grant time.
 * KEYS[2] policy HASH: capacity, windowMs, retainMs (the longest window ever
 * configured: grants are kept that long, so a longer new window still sees them).
 */

/** Log entries outlive the retained window by this much (ms), then the key expires by itself. */
export const RATELIMIT_LOG_SLACK_MS = 1000;

// Stores a policy (KEYS[1] policy, KEYS[2] log; ARGV capacity, windowMs); returns retainMs.
export const RATELIMIT_CONFIGURE = `
local retain = math.max(tonumber(ARGV[2]), tonumber(redis.call('HGET', KEYS[1], 'retainMs') or '0'))
redis.call('HSET', KEYS[1], 'capacity', ARGV[1], 'windowMs', ARGV[2], 'retainMs', retain)
redis.call('PEXPIRE', KEYS[2], retain + ${RATELIMIT_LOG_SLACK_MS})
return retain`;

/**
 * Grants `cost` units if the window has room. ARGV: cost, member, mode,
 * capacity, windowMs. mode 'local' takes under the given policy (this
 * process configured the key: a process's own knowledge — a bot's role in a
 * channel — governs its sends, and a standby's default preset elsewhere cannot
 * lower it; stored when Redis has none), 'none' requires a stored policy (a
 * process that never configured the key follows the deployment's).
 *
 * Replies: {-1} no policy anywhere; {-2, capacity, windowMs, used} cost above
 * capacity; {1, capacity, windowMs, used} granted (used includes the grant);
 * {0, capacity, windowMs, used, waitMs} no room, retry after waitMs.
 */
export const RATELIMIT_TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cap, win, retain
if ARGV[3] == 'local' then
  -- This process configured the key: its own policy governs its takes (the history is shared).
  cap = tonumber(ARGV[4])
  win = tonumber(ARGV[5])
  retain = math.max(win, tonumber(redis.call('HGET', KEYS[2], 'retainMs') or '0'))
  if redis.call('HEXISTS', KEYS[2], 'capacity') == 0 then
    redis.call('HSET', KEYS[2], 'capacity', cap, 'windowMs', win)
  end
  redis.call('HSET', KEYS[2], 'retainMs', retain)
else
  local p = redis.call('HMGET', KEYS[2], 'capacity', 'windowMs', 'retainMs')
  if not p[1] then return {-1} end
  cap = tonumber(p[1])
  win = tonumber(p[2])
  retain = tonumber(p[3])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - retain - 1)
local entries = redis.call('ZRANGEBYSCORE', KEYS[1], now - win, '+inf', 'WITHSCORES')
local used = 0
for i = 1, #entries, 2 do used = used + tonumber(string.match(entries[i], '^%d+')) end
local cost = tonumber(ARGV[1])
if cost > cap then return {-2, cap, win, used} end
if used + cost <= cap then
  redis.call('ZADD', KEYS[1], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[1], retain + ${RATELIMIT_LOG_SLACK_MS})
  return {1, cap, win, used + cost}
end
-- The oldest grants leave first: find the one whose departure makes room.
local excess = used + cost - cap
for i = 1, #entries, 2 do
  excess = excess - tonumber(string.match(entries[i], '^%d+'))
  if excess <= 0 then return {0, cap, win, used, tonumber(entries[i + 1]) + win + 1 - now} end
end
return {0, cap, win, used, win + 1}`;

export type TakeReply = [status: -1] | [status: -2 | 1, capacity: number, windowMs: number, used: number] | [status: 0, capacity: number, windowMs: number, used: number, waitMs: number];
