import { InvalidArgumentError } from 'commander';
import { REPORT_FORMATS, type ReportFormat } from '../reporters/types.js';
import type { CacheMode } from '../types.js';
import { REDACT_MODES, type RedactMode } from '../config/redactMode.js';

/** Value parsers shared by commands, so a bad flag reads the same everywhere. */

export function positiveInt(flag: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    const range = max === Number.MAX_SAFE_INTEGER ? '≥ 1' : `from 1 to ${max}`;
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${flag} takes a whole number ${range}, not "${value}".`);
    return n;
  };
}

export function nonNegativeNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${flag} takes a number ≥ 0, not "${value}".`);
    return n;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function formats(value: string): ReportFormat[] {
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const f of list) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new InvalidArgumentError(`unknown format "${f}" (formats: ${REPORT_FORMATS.join(', ')}).`);
  }
  return list as ReportFormat[];
}

export function redactMode(value: string): RedactMode {
  if (!(REDACT_MODES as readonly string[]).includes(value)) throw new InvalidArgumentError(`--redact takes ${REDACT_MODES.join(', ')}, not "${value}".`);
  return value as RedactMode;
}

export function cacheMode(value: string): CacheMode {
  if (!['on', 'off', 'replay', 'refresh'].includes(value)) throw new InvalidArgumentError(`--cache takes on, off, replay or refresh, not "${value}".`);
  return value as CacheMode;
}
