import { COMPONENT_SCHEMAS } from './openapi/components.ts';
import { HF_PATHS } from './openapi/hf-paths.ts';
import { MEMBER_PATHS } from './openapi/member-paths.ts';
import { PERSONAL_PATHS } from './openapi/personal-paths.ts';

export const API_PATHS = { ...HF_PATHS, ...MEMBER_PATHS, ...PERSONAL_PATHS } as const;

export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Dailypapers API',
      version: '1',
      description:
        'Compatible with Hugging Face’s papers API: code written against https://huggingface.co/api works here by changing the base URL.',
    },
    servers: [{ url: baseUrl }],
    paths: API_PATHS,
    components: {
      schemas: COMPONENT_SCHEMAS,
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal API token, created and revoked on your account page (/account).',
        },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'dp_session' },
      },
    },
  };
}
