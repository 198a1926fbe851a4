// What /proc says about a process and the machine (Linux); null elsewhere or once the process is gone.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system, all its threads) the process has used so far; with `reapedChildren`, also that of
 * its children that have ended and been waited for (a server's connections that came and went).
 */
export function cpuSeconds(pid: number | undefined, reapedChildren = false): number | null {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime is 14th, stime 15th,
    // cutime and cstime 16th and 17th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const own = Number(fields[11]) + Number(fields[12]);
    const ticks = reapedChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
    return Number.isFinite(ticks) ? ticks / ticksPerSecond : null;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has spent busy (all cores). */
export function machineBusySeconds(): number | null {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = (
      readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    )
      .split(/\s+/)
      .map(Number);
    const ticks = [user, nice, system, irq, softirq, steal].reduce<number>((sum, n) => sum + (n ?? 0), 0);
    return Number.isFinite(ticks) ? ticks / ticksPerSecond : null;
  } catch {
    return null;
  }
}

/** Resident memory of the process now and at its peak, MB (VmRSS and VmHWM). */
export function rssMb(pid: number | undefined): { current: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    const current = kb('VmRSS');
    const peak = kb('VmHWM');
    return Number.isFinite(current) && Number.isFinite(peak)
      ? { current: Math.round(current / 1024), peak: Math.round(peak / 1024) }
      : null;
  } catch {
    return null;
  }
}
