// Replacing a folder so that readers see the old one or the new one, never half of either.
import {existsSync} from "node:fs";
import {mkdir, rename, rm} from "node:fs/promises";
import {basename, dirname, join} from "node:path";

/** Moves the finished `staging` folder to `target` in two renames; the old `target` goes only once the new one is in. */
export async function swapInto(staging: string, target: string): Promise<void> {
  await mkdir(dirname(target), {recursive: true});
  if (!existsSync(target)) return rename(staging, target);
  const old = join(dirname(target), `.${basename(target)}.old-${process.pid}-${Date.now()}`);
  await rename(target, old);
  await rename(staging, target);
  await rm(old, {recursive: true, force: true});
}
