import type { ErrorGroup } from '../types.js';

/** A variant's errors in one line each: `36 cases: model "x": 401 Unauthorized (request id of the first: req_1)`. */
export function describeErrorGroup(g: ErrorGroup): string {
  return `${g.cases} case${g.cases === 1 ? '' : 's'}: ${g.message}${requestIdNote(g)}`;
}

/** ` (request id req_1)` after a group's message when the provider named its request, else ''. */
export function requestIdNote(g: Pick<ErrorGroup, 'cases' | 'requestId'>): string {
  if (g.requestId === undefined) return '';
  return g.cases === 1 ? ` (request id ${g.requestId})` : ` (request id of the first: ${g.requestId})`;
}
