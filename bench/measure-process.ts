/**
 * Runs a child process and measures its wall time and peak resident set size.
 *
 * Peak RSS comes from GNU time (`/usr/bin/time -v`): the kernel's `ru_maxrss` of the child, read once it
 * has exited, so no peak is missed between samples. Without GNU time, /proc/<pid>/status `VmHWM` (the
 * kernel's own high-water mark) is polled every 50 ms; only a peak in the last interval before exit can
 * be missed. Elsewhere (macOS) RSS is reported as unavailable rather than guessed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How peak RSS was measured. */
export type RssMethod = 'gnu-time' | 'proc-vmhwm' | 'unavailable';

/** A finished child process. */
export interface MeasuredRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From spawn to exit, as seen by the benchmark. */
  readonly wallMs: number;
  /** Peak RSS in bytes, or null when `rssMethod` is `unavailable`. */
  readonly peakRssBytes: number | null;
  readonly rssMethod: RssMethod;
}

const GNU_TIME = '/usr/bin/time';

/** Reads `Maximum resident set size (kbytes): N` from `time -v` output; null when absent. */
export const parseGnuTimeMaxRssKb = (text: string): number | null => {
  const match = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
};

/** Reads `VmHWM: N kB` from /proc/<pid>/status; null when absent. */
export const parseVmHwmKb = (status: string): number | null => {
  const match = /^VmHWM:\s*(\d+)\s*kB/m.exec(status);
  return match?.[1] === undefined ? null : Number(match[1]);
};

let detected: RssMethod | undefined;

/** The most reliable method available here (probed once). */
export const rssMethod = (): RssMethod => {
  if (detected !== undefined) return detected;
  const probe = existsSync(GNU_TIME)
    ? spawnSync(GNU_TIME, ['-v', 'true'], { encoding: 'utf8', timeout: 10_000 })
    : undefined;
  if (probe?.status === 0 && parseGnuTimeMaxRssKb(probe.stderr) !== null) detected = 'gnu-time';
  else if (existsSync('/proc/self/status')) detected = 'proc-vmhwm';
  else detected = 'unavailable';
  return detected;
};

/** Options for `measureProcess`. */
export interface MeasureOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Killed (SIGKILL) after this long. */
  readonly timeoutMs: number;
}

/** Runs `command args` to completion and measures it (see the module comment). */
export const measureProcess = async (
  command: string,
  args: readonly string[],
  options: MeasureOptions,
): Promise<MeasuredRun> => {
  const method = rssMethod();
  const dir = method === 'gnu-time' ? await mkdtemp(join(tmpdir(), 'key-audit-bench-')) : null;
  const timeFile = dir === null ? null : join(dir, 'time.txt');
  const [file, argv] =
    timeFile === null ? [command, [...args]] : [GNU_TIME, ['-v', '-o', timeFile, command, ...args]];
  const started = performance.now();
  const child = spawn(file, argv, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

  let hwmKb: number | null = null;
  const poll =
    method === 'proc-vmhwm'
      ? setInterval(() => {
          readFile(`/proc/${child.pid}/status`, 'utf8')
            .then((status) => {
              const kb = parseVmHwmKb(status);
              if (kb !== null) hwmKb = Math.max(hwmKb ?? 0, kb);
            })
            .catch(() => {
              // The process exited between two samples.
            });
        }, 50)
      : undefined;
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);

  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, sig) => resolve([code, sig]));
  });
  const wallMs = performance.now() - started;
  clearTimeout(timer);
  if (poll !== undefined) clearInterval(poll);

  let peakKb: number | null = method === 'proc-vmhwm' ? hwmKb : null;
  if (timeFile !== null && dir !== null) {
    peakKb = parseGnuTimeMaxRssKb(await readFile(timeFile, 'utf8').catch(() => ''));
    await rm(dir, { recursive: true, force: true });
  }
  return {
    exitCode,
    signal,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
    wallMs,
    peakRssBytes: peakKb === null ? null : peakKb * 1024,
    rssMethod: peakKb === null ? 'unavailable' : method,
  };
};
