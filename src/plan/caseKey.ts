/** Stable key of one unit of work, used for resume and de-duplication. */
export function caseKey(suite: string, variant: string, caseId: string, repeat: number): string {
  return `${suite}/${variant}/${caseId}#${repeat}`;
}
