import { ClusteredLsaModel } from './clustered-lsa-model.ts';
import type { Embedder } from './embedder.ts';
import { HttpEmbedder } from './http-embedder.ts';
import { LsaModel } from './lsa-model.ts';
import { readHeader } from './model-format.ts';
import { TermTableFile } from './term-table-file.ts';

/** The kind a built-in model's header names: 'lsa' or 'clustered-lsa'. */
function builtInKind(data: Buffer): string {
  return readHeader<{ kind: string }>(data).header.kind;
}

export interface StoredEmbedderOptions {
  /**
   * Keep a built-in model's 4-bit term tables in a file in this folder, read a row at a time, instead of in
   * memory (see FileInt4TermTable): for a web process, which embeds little. Where no file can be written there,
   * they stay in memory.
   */
  termTablesDir?: string;
}

/** The embedder a site's stored model describes: an embedding service's settings, or a trained LSA model. */
export function embedderFromStored(
  stored: { model: string; data: Buffer },
  options: StoredEmbedderOptions = {},
): Embedder {
  const service = HttpEmbedder.deserialize(stored.data);
  if (service) return service;
  const model = builtInKind(stored.data) === 'clustered-lsa' ? ClusteredLsaModel : LsaModel;
  const read = (file?: TermTableFile) => model.deserialize(stored.data, stored.model, file);
  if (!options.termTablesDir) return read();
  try {
    return read(TermTableFile.create(options.termTablesDir));
  } catch {
    // A read-only or full disk: the tables in memory, as a command holds them.
    return read();
  }
}
