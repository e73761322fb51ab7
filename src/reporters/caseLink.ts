/**
 * Deep links into report.html: `report.html#case=<suite>/<id>` opens the case explorer on exactly
 * that case (the client reads the hash on load). Suite and id are each percent-encoded, so a `/`
 * inside either stays part of it, and `(`, `)` are encoded too so the URL is safe inside a
 * Markdown link.
 */

/** Env variable naming where report.html is published (a CI artifact or Pages URL). */
export const REPORT_URL_ENV = 'LLM_EVAL_REPORT_URL';

function encodePart(text: string): string {
  return encodeURIComponent(text).replace(/[()!*']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The fragment, without `#`: `case=<suite>/<id>`. */
export function caseFragment(suite: string, caseId: string): string {
  return `case=${encodePart(suite)}/${encodePart(caseId)}`;
}

/** The report's URL without a fragment, with the characters that would end a Markdown link encoded. */
export function reportPageUrl(base: string): string {
  return base.trim().replace(/#.*$/, '').replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `<base>#case=<suite>/<id>`; any fragment already on `base` is replaced. */
export function caseUrl(base: string, suite: string, caseId: string): string {
  return `${reportPageUrl(base)}#${caseFragment(suite, caseId)}`;
}

/** Reads a `#case=<suite>/<id>` fragment (as caseFragment writes it); null for any other hash. */
export function parseCaseFragment(hash: string): { suite: string; id: string } | null {
  if (!hash.startsWith('#case=')) return null;
  const rest = hash.slice('#case='.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return null;
  try {
    return { suite: decodeURIComponent(rest.slice(0, slash)), id: decodeURIComponent(rest.slice(slash + 1)) };
  } catch {
    return null;
  }
}
