import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliInputError } from './io';

/**
 * Checks, before any work starts, that `--out` names a directory the command can write to, creating it
 * if it is missing: a path that is a file, lies under a file or cannot be written is a one-line error.
 */
export function prepareOutDir(path: string, option = '--out'): string {
  const dir = resolve(path);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new CliInputError(`${option} ${path} is a file; give a directory to write the reports into`);
  try {
    makeDirectories(dir);
    probe(join(dir, `.scaler-write-check-${process.pid}`));
  } catch (error) {
    throw unwritable(option, path, error);
  }
  return dir;
}

/** Checks, before any work starts, that `--out` names a file the command can create or overwrite. */
export function prepareOutFile(path: string, option = '--out'): string {
  const file = resolve(path);
  if (existsSync(file) && statSync(file).isDirectory()) throw new CliInputError(`${option} ${path} is a directory; give a file name`);
  const parent = dirname(file);
  if (!existsSync(parent)) throw new CliInputError(`${option} ${path}: the directory ${parent} does not exist`);
  if (!statSync(parent).isDirectory()) throw new CliInputError(`${option} ${path} lies under ${parent}, which is a file`);
  const existed = existsSync(file);
  try {
    closeSync(openSync(file, 'a'));
    if (!existed) rmSync(file);
  } catch (error) {
    throw unwritable(option, path, error);
  }
  return file;
}

/**
 * mkdir -p, one level at a time from the nearest existing ancestor: Node's recursive mkdir spins forever
 * under /proc, where mkdir fails with ENOENT however often it is retried.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  while (!existsSync(at)) {
    missing.unshift(at);
    at = dirname(at);
  }
  if (!statSync(at).isDirectory()) throw Object.assign(new Error(`${at} is a file`), { code: 'ENOTDIR' });
  for (const level of missing) mkdirSync(level);
}

/** Creates and removes a file: the surest test that a directory takes writes (permissions, read-only mounts, /proc). */
function probe(file: string): void {
  closeSync(openSync(file, 'wx'));
  rmSync(file);
}

function unwritable(option: string, path: string, error: unknown): CliInputError {
  const code = (error as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOTDIR: 'it lies under a file',
    EEXIST: 'it lies under a file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOENT: 'files cannot be created there',
  };
  return new CliInputError(`${option} ${path} cannot be written: ${why[code ?? ''] ?? (error as Error).message}`, { cause: error });
}
