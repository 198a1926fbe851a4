/** The approximate vector index's partitioning, saved so a restart need not rebuild it (see search-index). */
export const vectorPartitions = `
CREATE TABLE vector_partitions (
  model text PRIMARY KEY,
  data bytea NOT NULL
);
`;
