import { LIQUID_LIMITS } from '../config/limits.js';

/**
 * What a liquidjs error means, without its ", line:1, col:4" tail: the caller maps the line to
 * where the template lives (a prompt file, a config key) and words the message itself.
 */

export interface LiquidFailure {
  /** `undefined`: a variable the scope lacks; `syntax`: the template cannot be parsed; `render`: anything else. */
  kind: 'undefined' | 'syntax' | 'render';
  message: string;
  /** 1-based line inside the template source. */
  line?: number;
  /** Path of the undefined variable (`ticket`, `ticket.body`, `items.0`). */
  variable?: string;
}

interface LiquidErrorShape {
  name?: string;
  message?: string;
  token?: { getPosition?: () => [number, number] };
  originalError?: { variableName?: unknown };
}

/** liquidjs's words for a tripped limit (config/limits.ts), with what they mean for a prompt. */
function explainLimit(message: string): string {
  if (message.startsWith('memory alloc limit exceeded'))
    return `${message}: the template builds more than ${LIQUID_LIMITS.memoryLimit.toLocaleString('en-US')} characters or loop items (a loop over a huge range?)`;
  if (message.startsWith('template render limit exceeded')) return `${message}: rendering took longer than ${LIQUID_LIMITS.renderLimit / 1000} s (a loop too large?)`;
  if (message.startsWith('template parse limit exceeded')) return `${message}: the template is longer than ${LIQUID_LIMITS.parseLimit.toLocaleString('en-US')} characters`;
  return message;
}

const SYNTAX_ERRORS = new Set(['ParseError', 'TokenizationError', 'AssertionError']);

export function describeLiquidError(err: unknown): LiquidFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as LiquidErrorShape;
  const raw = typeof e.message === 'string' ? e.message : String(err);
  const message = explainLimit(raw.replace(/, line:\d+, col:\d+[\s\S]*$/, ''));
  const position = typeof e.token?.getPosition === 'function' ? e.token.getPosition() : undefined;
  const line = position?.[0];
  if (e.name === 'UndefinedVariableError') {
    const name = e.originalError?.variableName;
    const variable = typeof name === 'string' ? name : message.replace(/^undefined variable:\s*/, '');
    return { kind: 'undefined', message, line, variable };
  }
  const lookup = /ENOENT: Failed to lookup "([^"]*)"/.exec(message);
  if (lookup) {
    const where = /in "([^"]*)"$/.exec(message)?.[1];
    const confined = where ? `inside the prompts folder (${where})` : 'anywhere: partials need the prompts folder';
    return { kind: 'render', message: `partial "${lookup[1]}" not found ${confined}; includes and renders resolve only there`, line };
  }
  return { kind: e.name !== undefined && SYNTAX_ERRORS.has(e.name) ? 'syntax' : 'render', message, line };
}
