/** Links signed with the site secret, under the site's base URL: what account and subscription mails link to. */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import {
  signToken,
  type TokenCheck,
  type TokenClaims,
  type TokenPurpose,
  verifyToken,
} from '../domain/signed-token.ts';
import type { Store } from '../store/store.ts';

/**
 * SECRET when set; otherwise one generated on first use and kept in the database (settings table), so signed
 * links in mails already sent keep working across restarts and between `serve` and the CLI.
 */
export async function siteSecret(store: Store, config: Config): Promise<string> {
  if (config.secret) return config.secret;
  return store.jobs.ensureSetting('link-secret', randomBytes(32).toString('base64url'));
}

/** `now` plus `ms` milliseconds: when a link made now expires. */
export const expiresAfter = (now: Date, ms: number): Date => new Date(now.getTime() + ms);

export abstract class SignedLinks {
  constructor(
    private readonly secret: string,
    readonly baseUrl: string,
  ) {}

  /** The links of this kind for the site: under its base URL, signed with its secret. */
  static async forSite<Links>(
    this: new (
      secret: string,
      baseUrl: string,
    ) => Links,
    store: Store,
    config: Config,
  ): Promise<Links> {
    return new this(await siteSecret(store, config), config.baseUrl);
  }

  protected token(claims: TokenClaims): string {
    return signToken(this.secret, claims);
  }

  /** The page at `path` (under the base URL) followed by the token of `claims`. */
  protected url(path: string, claims: TokenClaims): string {
    return `${this.baseUrl}${path}/${this.token(claims)}`;
  }

  verify(token: string, purpose: TokenPurpose, now = new Date()): TokenCheck {
    return verifyToken(this.secret, token, purpose, now);
  }
}
