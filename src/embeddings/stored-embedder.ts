import type { Embedder } from './embedder.ts';
import { HttpEmbedder } from './http-embedder.ts';
import { LsaModel } from './lsa-model.ts';

/** The embedder a site's stored model describes: an embedding service's settings, or a trained LSA model. */
export function embedderFromStored(stored: { model: string; data: Buffer }): Embedder {
  return HttpEmbedder.deserialize(stored.data) ?? LsaModel.deserialize(stored.data, stored.model);
}
