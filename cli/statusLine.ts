/** A live status line on a terminal, kept below the lines printed above it. */
export class StatusLine {
  private shown = false;

  constructor(
    readonly stream: NodeJS.WriteStream,
    private readonly out: (line: string) => void,
  ) {}

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }

  /** A permanent line: the status line (if any) is cleared first. */
  print(line: string): void {
    this.clear();
    this.out(line);
  }

  /** Replaces the status line (cut to the terminal width); false when the stream is no terminal. */
  show(line: string): boolean {
    if (!this.stream.isTTY) return false;
    this.stream.write('\r\x1b[2K' + line.slice(0, (this.stream.columns ?? 120) - 1));
    this.shown = true;
    return true;
  }
}
