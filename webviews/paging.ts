import { maxPageItems, type Page } from '../contract/webviewMessages';

/** Splits items into pages for `trials`/`training` messages; an empty list is one empty page. */
export function toPages<T>(items: readonly T[], pageSize = 2000): Page<T>[] {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageItems) {
    throw new RangeError(`page size must be an integer in 1..${maxPageItems}, got ${pageSize}`);
  }
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  return Array.from({ length: pages }, (_, page) => ({ page, pages, items: items.slice(page * pageSize, (page + 1) * pageSize) }));
}
