import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript module. Run from the JavaScript build (dist/, `npm run build`), it runs the
 * module's compiled sibling; run from src/, it registers tsx first, resolved from here so that any working
 * directory works.
 */
export function startTypeScriptWorker(module: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (import.meta.url.endsWith('.js'))
    return new Worker(new URL(module.href.replace(/\.ts$/, '.js')), options);
  const bootstrap = `(async () => {
  const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});
  register();
  await import(${JSON.stringify(module.href)});
})();`;
  return new Worker(bootstrap, { ...options, eval: true });
}
