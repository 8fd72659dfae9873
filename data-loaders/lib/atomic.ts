// Writing a folder so that readers see the old one or the complete new one, never half of either: everything is
// written into a temporary sibling, which replaces the target only once it is finished; a failure removes it.
import {copyFileSync, existsSync, linkSync, mkdirSync, readdirSync} from "node:fs";
import {mkdir, rename, rm} from "node:fs/promises";
import {basename, dirname, join} from "node:path";

/** A fresh name next to `target` (same file system, so the swap is a rename or a hard link), hidden from listings. */
export function siblingPath(target: string, purpose: string): string {
  return join(dirname(target), `.${basename(target)}.${purpose}-${process.pid}-${Date.now()}`);
}

/**
 * Builds `target` through `write(staging)`, where `staging` is an empty temporary sibling folder, then swaps it in.
 * When `write` throws, the staging folder is removed and `target` is left as it was.
 */
export async function writeFolderAtomically<T>(target: string, write: (staging: string) => Promise<T>): Promise<T> {
  const staging = siblingPath(target, "tmp");
  await mkdir(staging, {recursive: true});
  try {
    const result = await write(staging);
    await swapInto(staging, target);
    return result;
  } finally {
    await rm(staging, {recursive: true, force: true});
  }
}

/** Moves the finished `staging` folder to `target` in two renames; the old `target` goes only once the new one is in. */
export async function swapInto(staging: string, target: string): Promise<void> {
  await mkdir(dirname(target), {recursive: true});
  if (!existsSync(target)) return rename(staging, target);
  const old = siblingPath(target, "old");
  await rename(target, old);
  await rename(staging, target);
  await rm(old, {recursive: true, force: true});
}

/** A hard link where the file system allows one (no data copied; sources are replaced, never rewritten), else a copy. */
export function copyOrLink(source: string, target: string): void {
  try {
    linkSync(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EXDEV" && code !== "EPERM" && code !== "ENOTSUP" && code !== "EMLINK") throw error;
    copyFileSync(source, target);
  }
}

/** Every file under `from` linked (or copied) to the same place under `to`; returns how many. */
export function linkTree(from: string, to: string): number {
  let n = 0;
  mkdirSync(to, {recursive: true});
  for (const entry of readdirSync(from, {withFileTypes: true})) {
    if (entry.isDirectory()) n += linkTree(join(from, entry.name), join(to, entry.name));
    else (copyOrLink(join(from, entry.name), join(to, entry.name)), n++);
  }
  return n;
}
