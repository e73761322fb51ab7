import type { Issue } from '../../errors.js';
import type { RowSource } from '../row.js';

/** What a format reader yields: one raw record with its position, or a problem with one record. */
export type RawEntry =
  | {
      raw: unknown;
      source: RowSource;
      /** CSV: every column is a var or a reserved column; there is no structured `vars` shape. */
      flat?: boolean;
    }
  | { issue: Issue };

export type FormatReader = (file: string) => AsyncGenerator<RawEntry>;
