// The route table is the one list of the site's routes: the app registers exactly its routes, and every JSON API
// route of it is in the OpenAPI description (and the description names no route the table lacks).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openApiDocument } from '../src/web/api/openapi.ts';
import { fastifyUrls } from '../src/web/routes/register-routes.ts';
import { ROUTES } from '../src/web/routes/route-table.ts';
import { buildServer } from '../src/web/server.ts';
import { type RunningSite, startSite } from './helpers/site.ts';

/** API routes left out of the description on purpose, with why. */
const UNDESCRIBED_API = new Map([
  ['GET /api/papers/:paper/similar', 'not part of Hugging Face’s API, whose shape the description follows'],
]);

let site: RunningSite;
before(async () => {
  site = await startSite();
});
after(() => site?.close());

test('the app registers exactly the routes of the table (static files aside)', async () => {
  const app = await buildServer({ store: site.store, config: site.config });
  await app.ready();
  const registered = app.routeList
    .filter((route) => ['GET', 'POST', 'DELETE'].includes(route.method) && !route.url.startsWith('/assets/'))
    .map((route) => `${route.method} ${route.url}`)
    .sort();
  await app.close();
  const listed = ROUTES.flatMap((route) =>
    fastifyUrls(route.url).map((url) => `${route.method} ${url}`),
  ).sort();
  assert.deepEqual(registered, listed);
  assert.equal(new Set(listed).size, listed.length, 'no route listed twice');
});

test('every API route of the table is in the OpenAPI description, and the description names only table routes', () => {
  const openApiPath = (url: string) => url.replace(':paper', '{id}');
  const described = new Set(
    Object.entries(openApiDocument(site.config.baseUrl).paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
  for (const route of ROUTES.filter((route) => route.kind === 'api')) {
    const name = `${route.method} ${route.url}`;
    if (UNDESCRIBED_API.has(name)) continue;
    assert.ok(
      described.has(`${route.method} ${openApiPath(route.url)}`),
      `${name} is missing from api/openapi.ts`,
    );
  }
  const tableRoutes = new Set(ROUTES.map((route) => `${route.method} ${openApiPath(route.url)}`));
  for (const name of described) assert.ok(tableRoutes.has(name), `${name} is described but not in the table`);
  for (const route of ROUTES.filter((route) => route.url.startsWith('/api/') && route.kind !== 'api'))
    assert.ok(
      ['/api/docs', '/api/openapi.json'].includes(route.url),
      `${route.method} ${route.url} is under /api/ but not marked as an API route`,
    );
});
