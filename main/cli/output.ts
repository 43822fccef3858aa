/** Output of the command-line tool: results on stdout (respecting back-pressure), progress on stderr. */

/** Writes to stdout, waiting when the reader is slower; a reader that went away (EPIPE) ends the work. */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    process.stdout.once('error', onError);
    const done = () => {
      process.stdout.off('error', onError);
      resolve();
    };
    if (process.stdout.write(text)) done();
    else process.stdout.once('drain', done);
  });
}

const MB = 1024 * 1024;
const EVERY_MS = 1000;

/**
 * A line on stderr about once a second while long work goes on ("berth export: 52000 of 100000
 * repos, 110 MB"), and one when it is done (nothing for work that took under a second).
 */
export class Progress {
  private readonly started = Date.now();
  private last = Date.now();

  constructor(
    private readonly command: string,
    private readonly quiet: boolean,
  ) {}

  update(what: string, bytes?: number): void {
    const now = Date.now();
    if (this.quiet || now - this.last < EVERY_MS) return;
    this.last = now;
    process.stderr.write(`berth ${this.command}: ${what}${bytes !== undefined ? `, ${(bytes / MB).toFixed(0)} MB` : ''}\n`);
  }

  done(what: string, bytes?: number): void {
    if (this.quiet) return;
    const seconds = (Date.now() - this.started) / 1000;
    process.stderr.write(
      `berth ${this.command}: ${what}${bytes !== undefined ? ` (${(bytes / MB).toFixed(1)} MB)` : ''} in ${seconds.toFixed(1)} s\n`,
    );
  }
}
