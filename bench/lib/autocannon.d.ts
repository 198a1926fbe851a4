// The part of autocannon's programmatic API the benchmarks use (the package ships no types and there is
// no @types/autocannon in the dependencies). Shapes from autocannon 9's README, "Results".
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface Options {
    url: string;
    connections?: number;
    /** seconds */
    duration?: number;
    pipelining?: number;
    /** Requests to make in all, instead of a duration. */
    amount?: number;
    /** seconds */
    timeout?: number;
    headers?: Record<string, string>;
    title?: string;
    /** Requests each connection makes in turn; `setupRequest` may change one (its path) before it is sent. */
    requests?: Array<{
      method?: string;
      path?: string;
      setupRequest?: (request: RequestData) => RequestData;
    }>;
  }

  export interface RequestData {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
  }

  /** hdr-histogram-percentiles-obj: latencies in ms, request counts per second. */
  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p2_5: number;
    p50: number;
    p75: number;
    p90: number;
    p97_5: number;
    p99: number;
    p99_9: number;
  }

  export interface Result {
    title?: string;
    url: string;
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    /** seconds */
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    connections: number;
    pipelining: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  export interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void;
  }

  function autocannon(options: Options): Instance;
  export default autocannon;
}
