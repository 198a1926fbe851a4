import cliProgress from 'cli-progress';

export interface ProgressReporter {
  /** `done` is in the unit of `total` (bytes of input, pages, …); `count` is records processed. */
  update(done: number, count: number): void;
  stop(summary?: string): void;
}

export interface ProgressOptions {
  label: string;
  /** Total work in the unit of `done`, when known (enables percent and ETA). */
  total?: number;
  /** What `count` counts, e.g. "papers". */
  noun: string;
  stream?: NodeJS.WriteStream;
  /** Interval of plain log lines when the output is not a terminal. */
  logEveryMs?: number;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

const number = new Intl.NumberFormat('en-US');

/** A progress bar with count, rate and ETA on a terminal; plain periodic log lines otherwise. */
export function createProgress(options: ProgressOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const startedAt = Date.now();
  const rate = (count: number) => Math.round(count / Math.max((Date.now() - startedAt) / 1000, 0.001));
  const eta = (done: number) => {
    if (!options.total || done <= 0) return '?';
    const elapsed = (Date.now() - startedAt) / 1000;
    return formatDuration((elapsed * (options.total - done)) / done);
  };

  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: options.total
          ? `${options.label} {bar} {percentage}% | {count} ${options.noun} | {rate}/s | ETA {etaText}`
          : `${options.label} {count} ${options.noun} | {rate}/s`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(options.total ?? 1, 0, { count: '0', rate: '0', etaText: '?' });
    return {
      update(done, count) {
        bar.update(options.total ? done : 0, {
          count: number.format(count),
          rate: number.format(rate(count)),
          etaText: eta(done),
        });
      },
      stop(summary) {
        bar.stop();
        if (summary) stream.write(`${summary}\n`);
      },
    };
  }

  const every = options.logEveryMs ?? 2000;
  let lastLogAt = 0;
  return {
    update(done, count) {
      const now = Date.now();
      if (now - lastLogAt < every) return;
      lastLogAt = now;
      const percent = options.total ? ` ${Math.min(100, Math.floor((done / options.total) * 100))}%,` : '';
      stream.write(
        `${options.label}:${percent} ${number.format(count)} ${options.noun} (${number.format(rate(count))}/s), ETA ${eta(done)}\n`,
      );
    },
    stop(summary) {
      if (summary) stream.write(`${summary}\n`);
    },
  };
}
