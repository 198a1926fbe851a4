import { ClusteredLsaModel } from './clustered-lsa-model.ts';
import type { Embedder } from './embedder.ts';
import { HttpEmbedder } from './http-embedder.ts';
import { LsaModel } from './lsa-model.ts';
import { readHeader } from './model-format.ts';

/** The kind a built-in model's header names: 'lsa' or 'clustered-lsa'. */
function builtInKind(data: Buffer): string {
  return readHeader<{ kind: string }>(data).header.kind;
}

/** The embedder a site's stored model describes: an embedding service's settings, or a trained LSA model. */
export function embedderFromStored(stored: { model: string; data: Buffer }): Embedder {
  const service = HttpEmbedder.deserialize(stored.data);
  if (service) return service;
  return builtInKind(stored.data) === 'clustered-lsa'
    ? ClusteredLsaModel.deserialize(stored.data, stored.model)
    : LsaModel.deserialize(stored.data, stored.model);
}
