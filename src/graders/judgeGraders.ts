import type { GraderFactory } from '../types.js';
import { registerGrader } from './registry.js';
import judge from './judge.js';
import pairwise from './pairwise.js';

/**
 * The LLM-as-judge grader types (judge, pairwise). Importing this module registers them, like
 * graders/builtins.ts does for the others.
 */
export const judgeGraders: GraderFactory[] = [judge, pairwise];

for (const factory of judgeGraders) registerGrader(factory);
