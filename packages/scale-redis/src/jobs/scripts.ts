import type { Redis } from 'ioredis';

/*
 * The job queue's Lua scripts. Each one is atomic in Redis, so a claim, a
 * state change or a lease renewal can never interleave with another
 * process's. ARGV[1] is always the key base `<prefix>{jobs}:`; every key
 * starts with it, so all of them share the `{jobs}` hash tag (one Cluster
 * slot), which scripts touching keys they only learn while running need.
 *
 * Indexes follow the job's state, maintained only here:
 *   queued    ZSET queued:<type>   "<seq, 15 digits>|<id>" -> runAt (ties go by insertion)
 *   running   ZSET running         id -> lease expiry (ms, Redis TIME)
 *             SET  active:<type>   ids (the cluster-wide concurrency count)
 *             SET  activec:<type>|<creatorId>  ids (per-creator concurrency)
 *   finished  ZSET finished        id -> finishedAt (pruning)
 *   always    ZSET all             id -> seq (listing, newest first); HASH job:<id>
 */

const COMMON = `
local B = ARGV[1]
local function rnow()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function member(seq, id) return string.format('%015d', tonumber(seq)) .. '|' .. id end
local function load(key)
  local a = redis.call('HGETALL', key)
  if #a == 0 then return nil end
  local t = {}
  for i = 1, #a, 2 do t[a[i]] = a[i + 1] end
  return t
end
local function activeKeys(h)
  local keys = { B .. 'active:' .. h.type }
  if h.creatorId then keys[2] = B .. 'activec:' .. h.type .. '|' .. h.creatorId end
  return keys
end
local function unindex(id, h)
  if h.state == 'queued' then
    redis.call('ZREM', B .. 'queued:' .. h.type, member(h.seq, id))
  elseif h.state == 'running' then
    redis.call('ZREM', B .. 'running', id)
    for _, k in ipairs(activeKeys(h)) do redis.call('SREM', k, id) end
  else
    redis.call('ZREM', B .. 'finished', id)
  end
end
local function index(id, h)
  if h.state == 'queued' then
    redis.call('ZADD', B .. 'queued:' .. h.type, h.runAt, member(h.seq, id))
  elseif h.state ~= 'running' then
    redis.call('ZADD', B .. 'finished', h.finishedAt or 0, id)
  end
end
`;

// ARGV: base, id, then field/value pairs of the new queued job.
const ENQUEUE = `${COMMON}
local id = ARGV[2]
local key = B .. 'job:' .. id
local h = {}
for i = 3, #ARGV, 2 do h[ARGV[i]] = ARGV[i + 1] end
local seq = redis.call('INCR', B .. 'seq')
h.seq = tostring(seq)
for k, v in pairs(h) do redis.call('HSET', key, k, v) end
redis.call('ZADD', B .. 'all', seq, id)
index(id, h)
return seq`;

// ARGV: base, type, now (kernel clock), type limit (0 = none), per-creator limit (0 = none), owner, leaseMs, scan.
// Takes the first due job (by runAt, then insertion) whose creator is below its limit.
const CLAIM = `${COMMON}
local type, now, typeLimit, creatorLimit = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
if typeLimit > 0 and redis.call('SCARD', B .. 'active:' .. type) >= typeLimit then return false end
local queued = B .. 'queued:' .. type
local full = {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', queued, '-inf', now, 'LIMIT', 0, tonumber(ARGV[8]))) do
  local id = string.sub(m, 17)
  local key = B .. 'job:' .. id
  local h = load(key)
  if h == nil or h.state ~= 'queued' then
    redis.call('ZREM', queued, m) -- an index entry without its job: heal it
  else
    local ok = true
    if h.creatorId and creatorLimit > 0 then
      if full[h.creatorId] == nil then
        full[h.creatorId] = redis.call('SCARD', activeKeys(h)[2]) >= creatorLimit
      end
      ok = not full[h.creatorId]
    end
    if ok then
      unindex(id, h)
      local claim = redis.call('INCR', B .. 'claims')
      redis.call('HSET', key, 'state', 'running', 'attempts', tonumber(h.attempts) + 1, 'startedAt', ARGV[3],
        'updatedAt', ARGV[3], 'claim', claim, 'owner', ARGV[6])
      redis.call('ZADD', B .. 'running', rnow() + tonumber(ARGV[7]), id)
      for _, k in ipairs(activeKeys(h)) do redis.call('SADD', k, id) end
      return redis.call('HGETALL', key)
    end
  end
end
return false`;

// ARGV: base, id, expected state, expected attempts, expected claim ('' = none), '1' = only if its lease expired,
// number of fields to delete, those fields, then field/value pairs to set. 1 = done, 0 = the job was not as expected.
// A compare-and-set: a late writer (after a cancel, a timeout or a takeover) changes nothing.
const TRANSITION = `${COMMON}
local id = ARGV[2]
local key = B .. 'job:' .. id
local h = load(key)
if h == nil or h.state ~= ARGV[3] or h.attempts ~= ARGV[4] or (h.claim or '') ~= ARGV[5] then return 0 end
if ARGV[6] == '1' then
  local expiry = redis.call('ZSCORE', B .. 'running', id)
  if expiry and tonumber(expiry) > rnow() then return 0 end
end
unindex(id, h)
local n = tonumber(ARGV[7])
for i = 8, 7 + n do
  redis.call('HDEL', key, ARGV[i])
  h[ARGV[i]] = nil
end
for i = 8 + n, #ARGV, 2 do
  redis.call('HSET', key, ARGV[i], ARGV[i + 1])
  h[ARGV[i]] = ARGV[i + 1]
end
index(id, h)
return 1`;

// ARGV: base, leaseMs, then id/claim pairs. Per job: 'ok' (lease extended) or what it is now
// ('cancelled', 'lost' when another attempt holds it, 'gone' when deleted).
const RENEW = `${COMMON}
local expiry = rnow() + tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV, 2 do
  local h = load(B .. 'job:' .. ARGV[i])
  if h == nil then out[#out + 1] = 'gone'
  elseif h.state == 'running' and h.claim == ARGV[i + 1] then
    redis.call('ZADD', B .. 'running', expiry, ARGV[i])
    out[#out + 1] = 'ok'
  elseif h.state == 'cancelled' then out[#out + 1] = 'cancelled'
  else out[#out + 1] = 'lost' end
end
return out`;

// ARGV: base, limit. Running jobs whose lease expired (their process died or lost Redis).
const EXPIRED = `${COMMON}
return redis.call('ZRANGEBYSCORE', B .. 'running', '-inf', rnow(), 'LIMIT', 0, tonumber(ARGV[2]))`;

// ARGV: base, before, limit. Deletes finished jobs with finishedAt < before; returns how many.
const PRUNE = `${COMMON}
local ids = redis.call('ZRANGEBYSCORE', B .. 'finished', '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  redis.call('DEL', B .. 'job:' .. id)
  redis.call('ZREM', B .. 'all', id)
  redis.call('ZREM', B .. 'finished', id)
end
return #ids`;

export type JobCommands = {
  ssJobEnqueue(base: string, id: string, ...fields: string[]): Promise<number>;
  ssJobClaim(base: string, type: string, now: number, typeLimit: number, creatorLimit: number, owner: string, leaseMs: number, scan: number): Promise<string[] | null>;
  ssJobTransition(base: string, id: string, ...args: string[]): Promise<number>;
  ssJobRenew(base: string, leaseMs: number, ...pairs: string[]): Promise<string[]>;
  ssJobExpired(base: string, limit: number): Promise<string[]>;
  ssJobPrune(base: string, before: number, limit: number): Promise<number>;
};

/** Defines the scripts once per client (EVALSHA, falling back to EVAL when the server lacks them). */
export function jobCommands(redis: Redis): Redis & JobCommands {
  const client = redis as Redis & Partial<JobCommands>;
  if (client.ssJobClaim === undefined) {
    redis.defineCommand('ssJobEnqueue', { numberOfKeys: 0, lua: ENQUEUE });
    redis.defineCommand('ssJobClaim', { numberOfKeys: 0, lua: CLAIM });
    redis.defineCommand('ssJobTransition', { numberOfKeys: 0, lua: TRANSITION });
    redis.defineCommand('ssJobRenew', { numberOfKeys: 0, lua: RENEW });
    redis.defineCommand('ssJobExpired', { numberOfKeys: 0, lua: EXPIRED });
    redis.defineCommand('ssJobPrune', { numberOfKeys: 0, lua: PRUNE });
  }
  return client as Redis & JobCommands;
}
