/** The approximate vector index's partitioning, saved so a restart need not rebuild it (see search-index). */
export const vectorPartitions = `
CREATE TABLE vector_partitions (
  model TEXT PRIMARY KEY,
  data BLOB NOT NULL
);
`;
