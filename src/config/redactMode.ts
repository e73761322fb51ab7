/** What `redact:` (suite option) and `--redact` (run flag) can mask in written artifacts. */
export const REDACT_MODES = ['pii'] as const;
export type RedactMode = (typeof REDACT_MODES)[number];
