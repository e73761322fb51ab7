import { createRequire } from 'node:module';
import type * as PhoneNumbers from 'libphonenumber-js';

/**
 * libphonenumber-js, loaded on first use: its ES module build is over a hundred files and took a
 * few hundred ms to import, which every run paid at start-up (the grader registry imports every
 * grader) whether or not a suite uses the pii grader. Its CommonJS build is loaded here, once,
 * synchronously (the grader's option check is synchronous).
 */
let loaded: typeof PhoneNumbers | undefined;

export function phoneNumbers(): typeof PhoneNumbers {
  loaded ??= createRequire(import.meta.url)('libphonenumber-js') as typeof PhoneNumbers;
  return loaded;
}
