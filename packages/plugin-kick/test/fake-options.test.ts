import { describe, expect, it } from 'vitest';
import { startFakeKick } from '../src/testing.js';

describe('startFakeKick options (hosts with fixed credentials, like the demo)', () => {
  it('takes the app credentials and user tokens it is given', async () => {
    const kick = await startFakeKick({ clientId: 'demo-client', clientSecret: 'demo-secret', userTokens: [{ accessToken: 'demo-access', refreshToken: 'demo-refresh' }] });
    try {
      expect([kick.clientId, kick.clientSecret]).toEqual(['demo-client', 'demo-secret']);
      kick.addChannel({ slug: 'daniel', broadcasterUserId: 880001 });
      const post = (token: string) =>
        fetch(`${kick.origin}/public/v1/chat`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'bot', content: 'hello' }),
        });
      expect((await post('demo-access')).status).toBe(200);
      expect((await post('some-other-token')).status).toBe(401);
      const refreshed = await fetch(`${kick.origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'demo-refresh', client_id: 'demo-client', client_secret: 'demo-secret' }),
      });
      expect(refreshed.status).toBe(200);
    } finally {
      await kick.close();
    }
  });
});
