/** `/submit`: a member adds a paper by arXiv id or link. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormError } from '../../services/accounts.ts';
import { submitPaper } from '../../services/submit-paper.ts';
import { redirectAfterPost } from '../request-context.ts';
import { renderSubmitPage } from '../views/forms.ts';
import { memberOf } from './guards.ts';
import { HTML, sendPage } from './responses.ts';
import type { Site } from './site.ts';

const rulesOf = ({ config }: Site) => ({
  perDay: config.submissions.perMemberPerDay,
  maxAgeDays: config.submissions.maxAgeDays,
});

export async function submitForm(request: FastifyRequest, reply: FastifyReply, site: Site) {
  return reply.type(HTML).send(renderSubmitPage(site.pageContext(request), { rules: rulesOf(site) }));
}

export async function submit(
  request: FastifyRequest<{ Body: Record<string, string | undefined> }>,
  reply: FastifyReply,
  site: Site,
) {
  const input = request.body?.paper ?? '';
  try {
    const { paperId } = await submitPaper(
      site.store,
      site.fetchPaper,
      memberOf(request),
      input,
      site.config.submissions,
    );
    return redirectAfterPost(reply, `/papers/${paperId}`);
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    return sendPage(
      reply,
      400,
      renderSubmitPage(site.pageContext(request), {
        rules: rulesOf(site),
        values: { paper: input },
        errors: error.fields,
      }),
    );
  }
}
