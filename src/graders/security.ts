import canary from './canary.js';
import citations from './citations.js';
import notRefusal from './notRefusal.js';
import pii from './pii.js';
import { registerGrader } from './registry.js';
import refusal from './refusal.js';
import systemPromptLeak from './systemPromptLeak.js';

/**
 * The graders for what production LLM features get wrong: leaked personal data, invented
 * citations, refusals (and over-refusals), leaked canaries and system prompts. Importing this
 * module registers them, like graders/builtins.ts (registering twice is harmless).
 */
export const securityGraders = [pii, citations, refusal, notRefusal, canary, systemPromptLeak];

for (const factory of securityGraders) registerGrader(factory);
