import type { ToolCall } from '../types.js';
import { defineGrader } from './define.js';
import { graderName } from './name.js';

/** True when `names` appear in `calls` in this order (other calls may come between). */
function inOrder(names: readonly string[], calls: readonly ToolCall[]): boolean {
  let next = 0;
  for (const call of calls) if (next < names.length && call.name === names[next]) next++;
  return next === names.length;
}

/**
 * The path an agent took: tools it called (`used`), tools it must not call (`notUsed`), calls in
 * order (`sequence`: a subsequence of the calls made), and model calls at most (`maxSteps`). It
 * grades the whole case (every step, every turn); the final answer is graded by the usual graders.
 * Single tool calls with their arguments: part 1's `tool-call` / `tool-calls` graders.
 */
const trajectory = defineGrader({
  type: 'trajectory',
  description: 'The agent loop called the tools `used`, never the tools `notUsed`, in the order `sequence`, in at most `maxSteps` model calls.',
  optionsSchema: {
    type: 'object',
    properties: {
      used: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description: 'Tools that must each be called at least once.' },
      notUsed: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description: 'Tools that must never be called.' },
      sequence: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description: 'Tools called in this order (other calls may come between).' },
      maxSteps: { type: 'integer', minimum: 1, description: 'At most this many model calls in the case.' },
    },
    additionalProperties: false,
  },
  validate(options) {
    if (options.used ?? options.notUsed ?? options.sequence ?? options.maxSteps) return [];
    return [{ message: 'say what to check: one or more of used, notUsed, sequence, maxSteps, e.g. { type: trajectory, used: [lookup_order], notUsed: [refund] }' }];
  },
  create(options) {
    const name = graderName(options);
    return {
      name,
      grade(ctx) {
        if (!ctx.trajectory) {
          return { pass: false, score: 0, reason: 'no trajectory: this grader needs an agent suite (`agent: { maxSteps }`) or a conversation row (`messages`, `turns`)' };
        }
        const { toolCalls, steps } = ctx.trajectory;
        const called = new Set(toolCalls.map((c) => c.name));
        const failures: string[] = [];
        let checks = 0;
        for (const tool of options.used ?? []) {
          checks++;
          if (!called.has(tool)) failures.push(`${tool} was not called`);
        }
        for (const tool of options.notUsed ?? []) {
          checks++;
          if (called.has(tool)) failures.push(`${tool} was called`);
        }
        if (options.sequence) {
          checks++;
          if (!inOrder(options.sequence, toolCalls)) failures.push(`expected the calls ${options.sequence.join(' → ')} in order`);
        }
        if (options.maxSteps !== undefined) {
          checks++;
          if (steps > options.maxSteps) failures.push(`${steps} steps > maxSteps ${options.maxSteps}`);
        }
        const path = toolCalls.length ? toolCalls.map((c) => c.name).join(' → ') : 'no tool calls';
        const summary = `${path}; ${steps} step${steps === 1 ? '' : 's'}`;
        const pass = failures.length === 0;
        return {
          pass,
          score: (checks - failures.length) / checks,
          reason: pass ? `trajectory ok: ${summary}` : `${failures.join('; ')} (${summary})`,
          details: { toolCalls: toolCalls.map((c) => c.name), steps },
        };
      },
    };
  },
});

export default trajectory;
