/** The files a capture writes in its buffer folder, and removing them (nothing else in the folder is touched). */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/** The playlist and each run's segments (`r<run>-<number>.ts`), and their temporary files. */
const OUR_FILE = /^(?:index\.m3u8|r\d+-\d{6,}\.ts)(?:\.tmp)?$/;

export async function removeCaptureFiles(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => OUR_FILE.test(n)).map((n) => rm(path.join(dir, n), { force: true }).catch(() => {})));
}
