import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Embedder } from './embedder.ts';

/** What the database keeps of an embedding service (never the API key: that stays in EMBEDDER_API_KEY). */
export interface HttpEmbedderSettings {
  /** Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1 (the embeddings endpoint is added). */
  url: string;
  /** The model name the service expects. */
  name: string;
  dimensions: number;
}

export class EmbeddingServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddingServiceError';
  }
}

const PREFIX = 'openai-compatible:';
const TEXTS_PER_REQUEST = 64;
const TIMEOUT_MS = 60_000;
const ATTEMPTS = 3;

const responseSchema = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()), index: z.number().int().optional() })),
});

function unitLength(values: number[]): Float32Array {
  const vector = Float32Array.from(values);
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}

/**
 * A stronger embedder than the built-in LSA: any service with an OpenAI-compatible `POST /embeddings` (a local
 * llama.cpp or text-embeddings-inference server, or a hosted API), configured with `dailypapers index --embed
 * --embedder-url URL --embedder-model NAME`. The settings are stored in the database like the LSA model, so every
 * process of the site uses the same one.
 */
export class HttpEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;

  constructor(
    readonly settings: HttpEmbedderSettings,
    private readonly apiKey = process.env.EMBEDDER_API_KEY,
  ) {
    this.dimensions = settings.dimensions;
    const name = settings.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60);
    const digest = createHash('sha1').update(`${settings.url}\n${settings.name}`).digest('hex').slice(0, 10);
    this.model = `http-${name}-${settings.dimensions}-${digest}`;
  }

  /** Asks the service once to learn its vectors' size; fails with the service's own answer if it cannot embed. */
  static async connect(url: string, name: string): Promise<HttpEmbedder> {
    const probe = new HttpEmbedder({ url, name, dimensions: 0 });
    const [vector] = await probe.request(['dimension probe']);
    if (!vector || vector.length === 0)
      throw new EmbeddingServiceError(`${url}: returned an empty embedding`);
    return new HttpEmbedder({ url, name, dimensions: vector.length });
  }

  serialize(): Buffer {
    return Buffer.from(PREFIX + JSON.stringify(this.settings));
  }

  /** The settings stored by `serialize`, or null when `data` is another kind of model. */
  static deserialize(data: Buffer): HttpEmbedder | null {
    if (!data.subarray(0, PREFIX.length).equals(Buffer.from(PREFIX))) return null;
    return new HttpEmbedder(
      JSON.parse(data.subarray(PREFIX.length).toString('utf8')) as HttpEmbedderSettings,
    );
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += TEXTS_PER_REQUEST) {
      for (const values of await this.request(texts.slice(start, start + TEXTS_PER_REQUEST))) {
        if (values.length !== this.dimensions) {
          throw new EmbeddingServiceError(
            `${this.settings.url}: returned ${values.length} dimensions, the site's vectors have ${this.dimensions}; run \`dailypapers index --embed --embedder-url …\` again to re-embed with the new model`,
          );
        }
        vectors.push(unitLength(values));
      }
    }
    return vectors;
  }

  private async request(input: string[]): Promise<number[][]> {
    const endpoint = `${this.settings.url.replace(/\/+$/, '')}/embeddings`;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
          },
          body: JSON.stringify({ model: this.settings.name, input }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        if (attempt < ATTEMPTS) {
          await sleep(500 * attempt);
          continue;
        }
        throw new EmbeddingServiceError(`${endpoint}: cannot reach the embedding service (${reason})`);
      }
      if ((response.status === 429 || response.status >= 500) && attempt < ATTEMPTS) {
        await sleep(500 * attempt);
        continue;
      }
      const body = await response.text();
      if (!response.ok) {
        throw new EmbeddingServiceError(`${endpoint}: HTTP ${response.status}: ${body.slice(0, 300)}`);
      }
      let parsed: z.infer<typeof responseSchema>;
      try {
        parsed = responseSchema.parse(JSON.parse(body));
      } catch {
        throw new EmbeddingServiceError(
          `${endpoint}: not an OpenAI-compatible embeddings answer (expected {"data": [{"embedding": [...]}]})`,
        );
      }
      if (parsed.data.length !== input.length) {
        throw new EmbeddingServiceError(
          `${endpoint}: asked for ${input.length} embeddings, got ${parsed.data.length}`,
        );
      }
      const ordered = [...parsed.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      return ordered.map((item) => item.embedding);
    }
  }
}
