/** The grader registry as one namespace for library users: `import { graders } from 'llm-eval'`. */
export { createGrader as create } from './create.js';
export { registerGrader as register, getGraderFactory as get, graderTypes as types } from './registry.js';
export { validateGraderOptions as validate } from './validateOptions.js';
export { defineGrader as define } from './define.js';
