import { JsonRpcError } from '../json-rpc/errors.js';

/** One page of a list and the cursor of the next, when there is one. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | undefined;
}

/**
 * The page of `items` that `cursor` (from an earlier page's `nextCursor`; `undefined` for the
 * first) starts. Cursors are opaque to clients: the offset of the page, base64url-encoded.
 * @throws JsonRpcError -32602 for a cursor this server did not make (or that no longer points
 * into the list).
 */
export function paginate<T>(items: readonly T[], cursor: unknown, pageSize: number): Page<T> {
  const start = cursor === undefined ? 0 : decodeCursor(cursor, items.length);
  const end = Math.min(start + pageSize, items.length);
  return { items: items.slice(start, end), nextCursor: end < items.length ? encodeCursor(end) : undefined };
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o${offset}`).toString('base64url');
}

function decodeCursor(cursor: unknown, length: number): number {
  if (typeof cursor === 'string') {
    const match = /^o(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
    const offset = match === null ? Number.NaN : Number(match[1]);
    if (offset <= length) return offset;
  }
  throw JsonRpcError.invalidParams('the cursor is not one this server made');
}
