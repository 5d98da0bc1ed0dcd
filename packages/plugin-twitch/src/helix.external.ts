/** Wire shapes of the Helix endpoints we use (snake_case, as Twitch sends them). */

/** `POST https://id.twitch.tv/oauth2/token` with `grant_type=client_credentials`. */
export interface AppTokenResponse {
  access_token: string;
  expires_in: number;
  token_type: string;
}

/** One entry of `GET /helix/streams` `data` (only live streams are listed). */
export interface HelixStream {
  id: string;
  user_id: string;
  user_login: string;
  user_name: string;
  game_id: string;
  game_name: string;
  type: 'live' | '';
  title: string;
  viewer_count: number;
  started_at: string;
  language: string;
  thumbnail_url: string;
  tags?: string[];
  is_mature?: boolean;
}

export interface HelixStreamsResponse {
  data: HelixStream[];
  pagination?: { cursor?: string };
}
