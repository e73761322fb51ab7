/**
 * Runs the built CLI as a child process without blocking the test's event loop, so the test can
 * serve the fake LLM server in-process, watch the run's files and signal the process mid-run
 * (SIGKILL, SIGINT). `runCli` in project.ts is the blocking one-shot version.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cliBin } from './project.js';

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited (never rejects). */
  exited: Promise<CliExit>;
  hasExited(): boolean;
}

/**
 * A clean environment as a user's CI would have it: no inherited keys, no colour; a wide $COLUMNS
 * so a long summary line a test looks for is not wrapped (width tests set COLUMNS themselves).
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', CI: 'true', NO_COLOR: '1', COLUMNS: '1000', ...extra };
}

export function spawnCli(args: string[], cwd: string, env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [cliBin, ...args], { cwd, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let done = false;
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<CliExit>((resolve) => {
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal, stdout: out, stderr: err });
    });
  });
  return { child, stdout: () => out, stderr: () => err, exited, hasExited: () => done };
}

/** Runs the CLI to completion (async: the fake server keeps answering meanwhile). */
export async function runCliAsync(args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliExit> {
  const p = spawnCli(args, cwd, env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 30_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
