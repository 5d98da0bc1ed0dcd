/**
 * The field set and key order of a get-data body, embedded (the built package
 * reads no repository files). It is fixtures/constructed-from-docs/
 * get-data.live.field-inventory.constructed.json with its empty lists and
 * null entries filled in:
 * - subscriber entries from Rumble's FAQ example (fixtures/get-data.faq-example.json),
 *   whose key order differs between `latest_subscriber` (`username`, `user`)
 *   and `recent_subscribers` (`user`, `username`) — kept as Rumble shows it;
 * - gifted-sub entries (`purchased_by`, `total_gifts`, ...) from public client
 *   code that reads them, not from a capture: the least certain shape here.
 * Leaf values are only examples; the fake fills its own.
 */
export const GET_DATA_TEMPLATE = {
  now: 1727800000,
  type: 'user',
  user_id: 'CONSTRUCTED_uid',
  username: 'ConstructedStreamer',
  channel_id: null,
  channel_name: null,
  since: null,
  max_num_results: 50,
  followers: {
    num_followers: 12,
    num_followers_total: 30,
    latest_follower: { username: 'FollowerA', followed_on: '2024-10-01T12:00:00-04:00', profile_pic_url: '' },
    recent_followers: [{ username: 'FollowerA', followed_on: '2024-10-01T12:00:00-04:00', profile_pic_url: '' }],
  },
  subscribers: {
    num_subscribers: 1,
    latest_subscriber: { username: 'SubD', user: 'SubD', amount_cents: 500, amount_dollars: 5, subscribed_on: '2023-09-15T21:03:05+00:00' },
    recent_subscribers: [{ user: 'SubD', username: 'SubD', amount_cents: 500, amount_dollars: 5, subscribed_on: '2023-09-15T21:03:05+00:00' }],
  },
  gifted_subs: {
    num_gifted_subs: 1,
    latest_gifted_sub: { total_gifts: 5, purchased_by: 'GifterA', gifted_on: '2024-10-01T16:00:00+00:00', video_id: 1234567, gift_type: 'subscription', remaining_gifts: 0 },
    recent_gifted_subs: [{ total_gifts: 5, purchased_by: 'GifterA', gifted_on: '2024-10-01T16:00:00+00:00', video_id: 1234567, gift_type: 'subscription', remaining_gifts: 0 }],
  },
  livestreams: [
    {
      id: '6abcde',
      title: 'Constructed stream title',
      created_on: '2024-10-01T16:00:00+00:00',
      scheduled_on: '2024-10-01T16:00:00+00:00',
      is_live: true,
      visibility: 'public',
      categories: { primary: { slug: 'gaming', title: 'Gaming' }, secondary: { slug: 'simulators', title: 'Simulators' } },
      stream_key: 'REDACTED',
      server_url: 'rtmp://example.invalid/live',
      likes: 4,
      dislikes: 0,
      watching_now: 21,
      chat: {
        latest_message: { username: 'ChatterB', badges: ['premium'], text: 'hello chat', created_on: '2024-10-01T16:05:10+00:00', profile_pic_url: '' },
        recent_messages: [{ username: 'ChatterB', badges: ['premium'], text: 'hello chat', created_on: '2024-10-01T16:05:10+00:00', profile_pic_url: '' }],
        latest_rant: {
          username: 'RanterC',
          badges: ['whale-gray'],
          text: 'Rant text',
          created_on: '2024-10-01T16:04:00+00:00',
          expires_on: '2024-10-01T16:06:00+00:00',
          amount_cents: 200,
          amount_dollars: 2,
          profile_pic_url: '',
        },
        recent_rants: [
          {
            username: 'RanterC',
            badges: ['whale-gray'],
            text: 'Rant text',
            created_on: '2024-10-01T16:04:00+00:00',
            expires_on: '2024-10-01T16:06:00+00:00',
            amount_cents: 200,
            amount_dollars: 2,
            profile_pic_url: '',
          },
        ],
      },
    },
  ],
} as const;

/**
 * `value` with its object keys in `template`'s order, at every depth (an
 * array's first template element shapes all its elements). A key the
 * template does not have is a bug in the fake: it throws rather than serve a
 * field Rumble never sends.
 */
export function orderLike(template: unknown, value: unknown, path = '$'): unknown {
  if (Array.isArray(value)) {
    const element: unknown = Array.isArray(template) ? template[0] : undefined;
    return value.map((v, i) => orderLike(element, v, `${path}[${i}]`));
  }
  if (value === null || typeof value !== 'object') return value;
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    throw new Error(`fake Rumble API: no template for the object at ${path}`);
  }
  const source = value as Record<string, unknown>;
  const shape = template as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (!(key in shape)) throw new Error(`fake Rumble API: ${path}.${key} is not a Rumble field`);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) {
    if (key in source) out[key] = orderLike(shape[key], source[key], `${path}.${key}`);
  }
  return out;
}
