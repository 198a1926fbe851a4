import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { html } from '../../text/html.ts';
import { pageContext } from '../request-context.ts';
import { renderPage } from '../views/layout.ts';
import { openApiDocument } from './openapi.ts';

type Operation = Record<string, unknown>;
interface Field {
  name: string;
  in: string;
  description?: string;
}

/** The operation's parameters, then the fields of its JSON body. */
function fieldsOf(operation: Operation): Field[] {
  const parameters = (operation.parameters as Field[] | undefined) ?? [];
  const body = (
    operation.requestBody as
      | { content?: Record<string, { schema?: { properties?: Record<string, { description?: string }> } }> }
      | undefined
  )?.content?.['application/json']?.schema?.properties;
  const bodyFields = Object.entries(body ?? {}).map(([name, schema]) => ({
    name,
    in: 'body',
    ...(schema.description && { description: schema.description }),
  }));
  return [...parameters, ...bodyFields];
}

export function renderApiDocsPage(request: FastifyRequest, config: Config): string {
  const operations = Object.entries(openApiDocument(request.server).paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods ?? {}).map(([method, operation]) => ({
      path,
      method,
      operation: operation as Operation,
    })),
  );
  const body = html`<article class="prose">
    <h1>API</h1>
    <p>The JSON API speaks the field names of Hugging Face’s papers API, so existing clients work by changing the base URL. The full description is at <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3). Bad parameters get a 400 with <code>{"error": "parameter: reason"}</code>.</p>
    ${operations.map(({ path, method, operation }) => {
      const parameters = fieldsOf(operation);
      return html`<section class="api-operation">
        <h2><span class="api-method">${method.toUpperCase()}</span> <code>${path}</code></h2>
        <p>${String(operation.summary)}</p>
        ${operation.description ? html`<p>${String(operation.description)}</p>` : ''}
        ${
          parameters.length > 0
            ? html`<dl class="api-parameters">${parameters.map(
                (parameter) =>
                  html`<dt><code>${parameter.name}</code> <small>${parameter.in}</small></dt><dd>${parameter.description ?? ''}</dd>`,
              )}</dl>`
            : ''
        }
      </section>`;
    })}
    <h2>Example</h2>
    <pre><code>curl '${config.baseUrl}/api/daily_papers?date=2026-11-24&amp;limit=5'</code></pre>
    <h2>As a member</h2>
    <p>Create a personal API token on <a href="/account">your account page</a> and send it as a bearer token:</p>
    <pre><code>curl -X POST -H 'Authorization: Bearer dp_…' '${config.baseUrl}/api/papers/2411.12345/upvote'</code></pre>
  </article>`;
  return renderPage(pageContext(request, config.baseUrl), {
    title: 'API',
    description: 'The Dailypapers JSON API',
    body,
  });
}
