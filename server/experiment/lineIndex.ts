/**
 * 1-based line and column of offsets into one text, for `file:line:col` messages. The line
 * starts are found in one pass; each position is then a binary search, so printing every
 * problem of a large file stays linear.
 */
export class LineIndex {
  /** Offset where each line starts. */
  private readonly starts: number[] = [0];
  /** Editors do not count a byte order mark as a column. */
  private readonly bom: boolean;

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    this.bom = text.charCodeAt(0) === 0xfeff;
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const column = offset - this.starts[lo] + 1 - (lo === 0 && this.bom && offset > 0 ? 1 : 0);
    return { line: lo + 1, column };
  }
}
