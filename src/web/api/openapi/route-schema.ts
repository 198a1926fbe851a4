/** How an API route describes itself: the zod schemas of its input and answers, and what the description says. */
import { z } from 'zod';
import { json } from '../schemas/entities.ts';

/** An answer: JSON by a zod schema (a 204's is `null`: no body). `headers` are JSON schemas with their descriptions. */
export interface ResponseDoc {
  description: string;
  content: { 'application/json': { schema: z.ZodType } };
  headers?: Record<string, { description: string; type: string; enum?: string[] }>;
}

/** The `schema` of an API route: validates its input (api/schema-compilers.ts) and is its OpenAPI operation. */
export interface ApiRouteSchema {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  response: Record<number, ResponseDoc>;
}

export const TAGS = {
  papers: 'Papers (Hugging Face-compatible)',
  member: 'Member',
  personal: 'Personal',
};

export const noContent: ResponseDoc = json(z.null(), 'done');
