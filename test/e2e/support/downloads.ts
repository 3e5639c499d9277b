import { mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { until } from './wait';

/** Chrome writes `.crdownload`, Firefox `.part` while a download runs. */
const IN_PROGRESS = /\.(crdownload|part)$/;

export interface DownloadedFile {
  /** The name the browser saved it under: what the user sees in the downloads folder. */
  fileName: string;
  /** Where the file is now. */
  path: string;
  text: string;
}

/**
 * The browser's own downloads folder (set through its preferences, as a user would), so a file
 * arrives under the name the extension chose. Each file taken is moved aside, so the next
 * download of the same name is not renamed `… (1).csv` by the browser.
 */
export class DownloadFolder {
  private readonly taken: string;
  private count = 0;

  constructor(readonly dir: string) {
    this.taken = join(dirname(dir), `${basename(dir)}-taken`);
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Waits for the next finished file and takes it out of the folder, or with `keep` leaves it
   * where the browser saved it (the demo shows the user that path).
   */
  async next(what = 'a download', { timeoutMs = 30_000, keep = false } = {}): Promise<DownloadedFile> {
    const fileName = await until(
      () => {
        const names = readdirSync(this.dir);
        if (names.some((name) => IN_PROGRESS.test(name))) return undefined;
        // Firefox creates the final name empty first, then moves the `.part` file onto it.
        return names.find((name) => statSync(join(this.dir, name)).size > 0);
      },
      `${what} in ${this.dir}`,
      { timeoutMs },
    );
    const path = keep ? join(this.dir, fileName) : join(this.taken, `${++this.count}-${fileName}`);
    if (!keep) {
      mkdirSync(this.taken, { recursive: true });
      renameSync(join(this.dir, fileName), path);
    }
    return { fileName, path, text: readFileSync(path, 'utf8') };
  }
}
