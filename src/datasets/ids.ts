import type { Issue } from '../errors.js';
import { rowId } from './rowId.js';
import { StringTable } from '../util/stringTable.js';
import type { RowParts } from './row.js';

/**
 * Gives each row of one file its id (see rowId.ts) and keeps ids unique within the file:
 *  - two rows with the same explicit id are an error naming both lines (the author meant two
 *    cases; a baseline could not tell them apart);
 *  - identical rows without an id share a content hash, so the 2nd, 3rd... get `~2`, `~3` in
 *    file order: still stable across runs as long as the file's order is.
 */
export class RowIdAssigner {
  // A file's every id is kept while it is read: compactly (util/stringTable.ts), so reading a
  // large dataset does not grow the heap by a Map entry a row.
  private readonly explicit = new StringTable();
  private readonly hashed = new StringTable();

  constructor(private readonly file: string) {}

  assign(parts: RowParts, line: number): string | Issue {
    const id = rowId(parts.explicitId, parts.vars, parts.expected, conversationOf(parts));
    if (parts.explicitId !== undefined) {
      const first = this.explicit.get(id);
      if (first !== undefined) {
        return { file: this.file, line, message: `duplicate id "${id}": line ${first} has the same id; give each row its own id` };
      }
      this.explicit.set(id, line);
      return id;
    }
    const seen = (this.hashed.get(id) ?? 0) + 1;
    this.hashed.set(id, seen);
    return seen === 1 ? id : `${id}~${seen}`;
  }
}

/** The conversation a row carries, part of its content (absent for plain rows: their ids stay as they were). */
function conversationOf(parts: RowParts): unknown {
  if (!parts.messages && !parts.turns) return undefined;
  return { messages: parts.messages ?? null, turns: parts.turns ?? null };
}
