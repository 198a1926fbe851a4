/** Building blocks of the OpenAPI description: schema shorthands, parameters, bodies and responses. */
export type Schema = Record<string, unknown>;

export const str = { type: 'string' } as const;
export const int = { type: 'integer' } as const;
export const nullableObject = (properties: Schema, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
});

export const query = (name: string, description: string, schema: Schema) => ({
  name,
  in: 'query',
  description,
  schema,
});
export const json = (schema: Schema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const entries = json(
  { type: 'array', items: { $ref: '#/components/schemas/DailyEntry' } },
  'the papers',
);
export const badRequest = json({ $ref: '#/components/schemas/Error' }, 'a parameter is missing or wrong');
export const body = (properties: Schema, required: string[]) => ({
  required: true,
  content: { 'application/json': { schema: nullableObject(properties, required) } },
});
export const noContent = { description: 'done' };
