import type { CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { InvalidArxivIdError } from '../domain/arxiv-id.ts';
import { EmbeddingServiceError } from '../embeddings/http-embedder.ts';
import { FormError } from '../services/accounts.ts';
import { ImportAbortedError, ImportRejectedError } from '../services/import-papers.ts';
import { JobBusyError } from '../services/job-lock.ts';
import { ArxivApiError, UnknownArxivPaperError } from '../sources/arxiv-api.ts';
import { RemoteServiceError } from '../sources/http-retry.ts';
import { OaiError, OaiRecordError } from '../sources/oai-pmh.ts';
import { InputError } from '../sources/open-input.ts';
import { SourceRecordError } from '../sources/record-error.ts';
import { StoreUnavailableError } from '../store/store.ts';

const EXPECTED: Array<new (...args: never[]) => Error> = [
  ConfigError,
  InputError,
  ImportRejectedError,
  ImportAbortedError,
  InvalidArxivIdError,
  ArxivApiError,
  UnknownArxivPaperError,
  RemoteServiceError,
  OaiError,
  OaiRecordError,
  SourceRecordError,
  FormError,
  JobBusyError,
  EmbeddingServiceError,
  StoreUnavailableError,
];

/** Prints an error for a person and returns the exit code: expected failures get their message only. */
export function reportFailure(error: unknown, stream: NodeJS.WriteStream = process.stderr): number {
  if (error instanceof Error && EXPECTED.some((type) => error instanceof type)) {
    stream.write(`dailypapers: ${error.message}\n`);
    return error instanceof ImportAbortedError ? 130 : 1;
  }
  stream.write(
    `dailypapers: unexpected error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}

/** Usage errors exit 2 (the convention of command-line tools); help and --version exit 0. */
export const USAGE_EXIT_CODE = 2;

/** The exit code for commander's outcome: its own for help, --version and `command.error()`, else a usage error. */
export function commanderExitCode(error: CommanderError): number {
  if (error.exitCode === 0 || error.code === 'commander.error') return error.exitCode;
  return USAGE_EXIT_CODE;
}
