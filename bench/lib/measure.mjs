// Runs a command as a child process and measures it: wall time (here), CPU (user + system) and
// peak RSS of the child and its descendants. Uses GNU time (`/usr/bin/time -v`) when present;
// otherwise, for Node children, a preload that records `process.resourceUsage()` at exit.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let gnuTime;
/** GNU time's path, or null (busybox/BSD `time` lack -v / -o). */
export function gnuTimePath() {
  if (gnuTime !== undefined) return gnuTime;
  gnuTime = null;
  for (const p of ['/usr/bin/time', '/bin/time']) {
    if (!existsSync(p)) continue;
    const r = spawnSync(p, ['-v', 'true'], { encoding: 'utf8' });
    if (r.status === 0 && /Maximum resident set size/.test(r.stderr)) {
      gnuTime = p;
      break;
    }
  }
  return gnuTime;
}

const work = mkdtempSync(path.join(tmpdir(), 'llm-eval-bench-measure-'));
let seq = 0;

/** Process groups of the commands being measured, stopped if the bench itself is interrupted. */
const running = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    process.exit(130);
  });
}

function parseGnuTime(text) {
  const num = (re) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : NaN;
  };
  return {
    cpuMs: (num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/)) * 1000,
    maxRssKB: num(/Maximum resident set size \(kbytes\): (\d+)/),
  };
}

const PROBE = `
import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  const file = process.env.BENCH_USAGE_FILE;
  if (file) writeFileSync(file + '.' + process.pid, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKB: u.maxRSS }));
});
`;

/**
 * Runs `cmd args` and resolves { wallMs, cpuMs, maxRssKB, code, stdout, stderr }.
 * `opts`: { cwd, env, timeoutMs, node: true when cmd is a Node script (for the fallback) }.
 */
export function measure(cmd, args, opts = {}) {
  const id = `${process.pid}-${seq++}`;
  const timeFile = path.join(work, `time-${id}.txt`);
  const usageFile = path.join(work, `usage-${id}`);
  const time = gnuTimePath();
  let env = { ...process.env, ...opts.env };
  let file = cmd;
  let argv = args;
  if (time) {
    file = time;
    argv = ['-v', '-o', timeFile, cmd, ...args];
  } else {
    const probe = path.join(work, 'probe.mjs');
    if (!existsSync(probe)) writeFileSync(probe, PROBE);
    env = { ...env, BENCH_USAGE_FILE: usageFile, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(probe).href}`.trim() };
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Its own process group, so a timeout stops the measured command and everything it started.
    const child = spawn(file, argv, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child.pid);
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }, opts.timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      running.delete(child.pid);
      if (timer) clearTimeout(timer);
      let usage = { cpuMs: NaN, maxRssKB: NaN };
      if (time && existsSync(timeFile)) {
        usage = parseGnuTime(readFileSync(timeFile, 'utf8'));
        rmSync(timeFile, { force: true });
      } else if (!time) {
        // Sum CPU over every Node process that ran; peak RSS is the largest one's.
        const files = spawnSync('sh', ['-c', `ls ${usageFile}.* 2>/dev/null`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
        if (files.length) usage = { cpuMs: 0, maxRssKB: 0 };
        for (const f of files) {
          const u = JSON.parse(readFileSync(f, 'utf8'));
          usage.cpuMs += u.cpuMs;
          usage.maxRssKB = Math.max(usage.maxRssKB, u.maxRssKB);
          rmSync(f, { force: true });
        }
      }
      resolve({
        wallMs,
        timedOut,
        ...(timedOut ? { cpuMs: NaN, maxRssKB: NaN } : usage),
        code: code ?? (signal ? 128 : 1),
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

export function cleanupMeasure() {
  rmSync(work, { recursive: true, force: true });
}
