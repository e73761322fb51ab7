import { graderName } from './name.js';
import { defineGrader } from './define.js';


function usd(x: number): string {
  return `$${x < 0.01 ? x.toPrecision(3) : x.toFixed(4)}`;
}

/**
 * The case's candidate cost is at most `max` USD. An unknown cost (a model with no price) fails
 * unless `allowUnknown`: a ceiling that cannot be checked should not read as met.
 */
const cost = defineGrader({
  type: 'cost',
  description: "The case's cost in USD is at most `max`.",
  optionsSchema: {
    type: 'object',
    properties: {
      max: { type: 'number', minimum: 0, description: 'Ceiling in USD for one case (the candidate call, not judges).' },
      allowUnknown: { type: 'boolean', default: false, description: 'Pass when the cost is unknown (the model has no price).' },
    },
    required: ['max'],
    additionalProperties: false,
  },
  create(options) {
    const name = graderName(options);
    return {
      name,
      grade(ctx) {
        if (ctx.costUsd === null || !Number.isFinite(ctx.costUsd)) {
          const pass = options.allowUnknown === true;
          return { pass, score: pass ? 1 : 0, reason: `cost unknown (no price for ${ctx.model})${pass ? ', allowed' : '; set `price:` on the model or `allowUnknown: true`'}` };
        }
        const pass = ctx.costUsd <= options.max;
        return { pass, score: pass ? 1 : 0, reason: `cost ${usd(ctx.costUsd)} ${pass ? '≤' : '>'} ${usd(options.max)}` };
      },
    };
  },
});

export default cost;
