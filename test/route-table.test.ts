// The route table is the one list of the site's routes: the app registers exactly its routes, and every JSON API
// route the app serves is in the OpenAPI description generated from the routes' schemas (and nothing else is).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openApiDocument } from '../src/web/api/openapi.ts';
import { fastifyUrls } from '../src/web/routes/register-routes.ts';
import { ROUTES } from '../src/web/routes/route-table.ts';
import { buildServer } from '../src/web/server.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

let site: RunningSite;
let app: FastifyInstance;
before(async () => {
  site = await startSite();
  app = await buildServer({ store: site.store, config: site.config });
  await app.ready();
});
after(async () => {
  await app?.close();
  await site?.close();
});

const METHODS = ['GET', 'POST', 'DELETE'];

test('the app registers exactly the routes of the table (static files aside)', () => {
  const registered = app.routeList
    .filter((route) => METHODS.includes(route.method) && !route.url.startsWith('/assets/'))
    .map((route) => `${route.method} ${route.url}`)
    .sort();
  const listed = ROUTES.flatMap((route) =>
    fastifyUrls(route.url).map((url) => `${route.method} ${url}`),
  ).sort();
  assert.deepEqual(registered, listed);
  assert.equal(new Set(listed).size, listed.length, 'no route listed twice');
});

/** The JSON API: everything under /api/ but the description itself and its page. */
const isApi = (url: string) => url.startsWith('/api/') && !['/api/docs', '/api/openapi.json'].includes(url);

test('every API route the app serves is in the generated OpenAPI description, and it describes nothing else', () => {
  const document = openApiDocument(app);
  const described = new Set(
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods ?? {}).map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
  // An old-style id (`:archive/:number`) is the same operation as `{id}`, which names both.
  const served = app.routeList
    .filter((route) => METHODS.includes(route.method) && isApi(route.url) && !route.url.includes(':archive'))
    .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
  assert.ok(served.length >= 21, 'the API routes are found');
  for (const name of served) assert.ok(described.has(name), `${name} is served but not described`);
  assert.deepEqual([...described].sort(), [...new Set(served)].sort());
  for (const route of ROUTES.filter((route) => isApi(route.url)))
    assert.equal(route.kind, 'api', `${route.method} ${route.url} is under /api/ but not an API route`);
});

test('every operation has its own operationId, and the routes that need a member name the security schemes', () => {
  const document = openApiDocument(app);
  const ids: string[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods ?? {})) {
      const op = operation as {
        operationId?: string;
        security?: unknown;
        responses: Record<string, unknown>;
      };
      assert.ok(op.operationId, `${method} ${path} has an operationId`);
      ids.push(op.operationId);
      const route = ROUTES.find(
        (route) =>
          route.method === method.toUpperCase() &&
          route.url.replace(':paper', '{id}').replace(/:(\w+)/g, '{$1}') === path,
      );
      assert.ok(route, `${method} ${path} is a table route`);
      if (route.guard) {
        assert.deepEqual(op.security, [{ bearerToken: [] }, { sessionCookie: [] }], `${method} ${path}`);
        assert.ok(op.responses['401'], `${method} ${path} documents its 401`);
      } else assert.equal(op.security, undefined, `${method} ${path} is open`);
      if (route.rateLimit) assert.ok(op.responses['429'], `${method} ${path} documents its 429`);
    }
  }
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  assert.deepEqual(Object.keys(document.components?.securitySchemes ?? {}).sort(), [
    'bearerToken',
    'sessionCookie',
  ]);
});
