import type { GraderFactory } from '../types.js';
import { registerGrader } from './registry.js';
import contains from './contains.js';
import cost from './cost.js';
import embeddingSimilarity from './embeddingSimilarity.js';
import exact from './exact.js';
import json from './json.js';
import jsonPath from './jsonPath.js';
import jsonSchema from './jsonSchema.js';
import latency from './latency.js';
import notContains from './notContains.js';
import oneOf from './oneOf.js';
import regex from './regex.js';
import script from './script.js';
import similarity from './similarity.js';
import toolCall from './toolCall.js';
import toolArgsValid from './toolCallArgsValid.js';
import toolCalls from './toolCalls.js';
import trajectory from './trajectory.js';
import { securityGraders } from './security.js';
// The LLM-as-judge types (judge, pairwise) register themselves.
import './judgeGraders.js';

/**
 * The built-in grader types. Importing this module registers them (registering again replaces a
 * factory by the same one, so importing it twice is harmless).
 */
export const builtinGraders: GraderFactory[] = [exact, contains, notContains, regex, oneOf, json, jsonSchema, jsonPath, similarity, embeddingSimilarity, cost, latency, script, toolCall, toolCalls, toolArgsValid, trajectory];

for (const factory of [...builtinGraders, ...securityGraders]) registerGrader(factory);
