/** Finished parts of an embedding model in training (a clustered model's global and cluster models), to resume it. */
export const trainingParts = `
CREATE TABLE model_training_parts (
  training TEXT NOT NULL,
  part INTEGER NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (training, part)
);
`;
