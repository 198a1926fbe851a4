import { badRequest, json } from './schema-helpers.ts';

export const MEMBER_AUTH =
  'Send a personal API token from your account page as `Authorization: Bearer dp_…` (no cookie, no CSRF token), or use the session cookie with the CSRF token (cookie dp_csrf, echoed in the X-CSRF-Token header). Rate limits count per member, however the request authenticates.';
export const BEARER_OR_SESSION = [{ bearerToken: [] }, { sessionCookie: [] }];
export const unauthorized = {
  ...json({ $ref: '#/components/schemas/Error' }, 'no member: the token is missing, malformed or revoked'),
  headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer realm="Dailypapers"' } },
};
export const memberErrors = {
  '400': badRequest,
  '401': json({ $ref: '#/components/schemas/Error' }, 'not logged in'),
  '403': json({ $ref: '#/components/schemas/Error' }, 'CSRF token missing or wrong'),
};
