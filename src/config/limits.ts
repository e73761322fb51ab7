/**
 * Bounds on what a config, a flag or a dataset may ask for, shared by the config schema, the CLI
 * flags and the readers so that a value refused in one place is refused in all.
 */

/** Cases (or model calls) in flight at once: `defaults.concurrency`, `models.NAME.concurrency`, `--concurrency`. */
export const MAX_CONCURRENCY = 1024;

/**
 * liquidjs limits for every template (prompts and grader options): a loop bomb such as
 * `{% for i in (1..100000000) %}` stops with "memory alloc limit exceeded" instead of running for
 * minutes at gigabytes. memoryLimit counts allocated characters and array items; renderLimit is
 * the milliseconds one render may take; parseLimit the characters one template may have.
 */
export const LIQUID_LIMITS = { memoryLimit: 50_000_000, renderLimit: 5_000, parseLimit: 10_000_000 } as const;

/** Largest llm-eval.yaml read: real configs are kilobytes; data belongs in datasets. */
export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

/**
 * Longest dataset line read: a longer one (or a file with no line break at all, such as a
 * symlink to /dev/zero) is a FILE:LINE error instead of a crash when the line outgrows memory.
 */
export const MAX_DATASET_LINE_BYTES = 64 * 1024 * 1024;
