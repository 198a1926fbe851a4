/**
 * The guards the route table declares, applied in one place (`register-routes.ts`) before a handler runs:
 * who may call the route, and which rate limit it counts against.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Member } from '../../domain/member.ts';
import {
  enforceLoginLimits,
  enforceRateLimit,
  type RateLimitAction,
  type RateLimitClient,
} from '../../services/rate-limit.ts';
import { renderMessagePage } from '../views/forms.ts';
import { sendPage } from './responses.ts';
import type { Site } from './site.ts';

/** Who may call a route: a logged-in member, one whose email is confirmed, or an admin. */
export type Guard = 'member' | 'verifiedMember' | 'admin';

export interface GuardSpec {
  method: 'GET' | 'POST' | 'DELETE';
  guard?: Guard;
  /**
   * A visitor who is not logged in is sent to log in and then to this page. Without it they get a
   * LoginRequiredError: 401 for JSON, else the log-in page and back to the page the form was on.
   */
  loginNext?: string;
  /** A rate limit to count, or `memberPassword`: the log-in limits of the member's own account. */
  rateLimit?: RateLimitAction | 'memberPassword';
}

export class LoginRequiredError extends Error {
  constructor() {
    super('log in first');
    this.name = 'LoginRequiredError';
  }
}

/** Voting, commenting and submitting need a confirmed email address. */
export class EmailNotVerifiedError extends Error {
  constructor() {
    super(
      'confirm your email address first: open the link in the mail we sent when you signed up, or have it sent again',
    );
    this.name = 'EmailNotVerifiedError';
  }
}

/** The client a rate limit counts: its address and, when logged in, the member. */
export function clientOf(request: FastifyRequest): RateLimitClient {
  return { address: request.ip, memberId: request.member?.id ?? null };
}

/** The logged-in member of a route whose guard let them in. */
export function memberOf(request: FastifyRequest): Member {
  if (!request.member) throw new LoginRequiredError();
  return request.member;
}

/** Runs the route's guards; answers and returns the reply when the request goes no further. */
export async function applyGuards(
  spec: GuardSpec,
  request: FastifyRequest,
  reply: FastifyReply,
  site: Site,
): Promise<FastifyReply | undefined> {
  if (spec.guard) {
    const member = request.member;
    if (!member) {
      if (!spec.loginNext) throw new LoginRequiredError();
      return reply.redirect(`/login?next=${spec.loginNext}`, spec.method === 'GET' ? 302 : 303);
    }
    if (spec.guard === 'verifiedMember' && !member.emailVerified) throw new EmailNotVerifiedError();
    if (spec.guard === 'admin' && member.role !== 'admin') {
      const what = spec.method === 'GET' ? 'see this page' : 'do that';
      return sendPage(
        reply,
        403,
        renderMessagePage(site.pageContext(request), 'Not allowed', `Only admins can ${what}.`),
      );
    }
  }
  if (spec.rateLimit === 'memberPassword')
    await enforceLoginLimits(site.store, clientOf(request), memberOf(request).username);
  else if (spec.rateLimit) await enforceRateLimit(site.store, clientOf(request), spec.rateLimit);
  return undefined;
}
