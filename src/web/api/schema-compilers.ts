/**
 * How Fastify uses the API routes' zod schemas: input is parsed by the same rules the API has always had
 * (api/params.ts: unknown parameters ignored, a known one given twice refused, the first bad one named in a 400),
 * and answers are sent as they are, as JSON bytes (json-bytes.ts), the response schemas describing them (checked by the
 * tests, not per request).
 */
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { jsonBytes } from './json-bytes.ts';
import { parseParams } from './params.ts';
import { parseBody } from './personal-params.ts';

const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    try {
      return { value: httpPart === 'body' ? parseBody(schema, data) : parseParams(schema, data) };
    } catch (error) {
      return { error: error as Error };
    }
  };

export function registerSchemaCompilers(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  // Fastify's types ask for a string; it sends a serializer's Buffer as it is (reply.js, onSendEnd).
  app.setSerializerCompiler(() => jsonBytes as unknown as (data: unknown) => string);
}
