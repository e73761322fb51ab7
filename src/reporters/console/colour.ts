import { Chalk, type ChalkInstance } from 'chalk';

type ColourLevel = 0 | 1 | 2 | 3;

/** What we need to know of an output stream to decide on colour (a tty.WriteStream has all of it). */
export interface TerminalLike {
  isTTY?: boolean;
  getColorDepth?(env?: NodeJS.ProcessEnv): number;
}

/**
 * How much colour a stream gets: none when NO_COLOR is set (no-color.org: any non-empty value),
 * when it is not a terminal, or on a dumb terminal; FORCE_COLOR overrides (CI logs that render
 * ANSI); otherwise the depth the terminal reports.
 */
export function colourLevel(stream: TerminalLike, env: NodeJS.ProcessEnv): ColourLevel {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n === 2 || n === 3 ? n : 1;
  }
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  const depth = stream.getColorDepth?.(env) ?? 4;
  return depth >= 24 ? 3 : depth >= 8 ? 2 : depth >= 4 ? 1 : 0;
}

/** A chalk bound to one stream's level (never the global instance, which looks at process.stdout). */
export function chalkFor(stream: TerminalLike, env: NodeJS.ProcessEnv): ChalkInstance {
  return new Chalk({ level: colourLevel(stream, env) });
}
