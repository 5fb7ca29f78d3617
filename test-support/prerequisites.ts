import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The real programs the tests run: Debian packages, installed here when missing and we may. */
const PREREQUISITES = [
  { program: 'redis-server', debianPackage: 'redis-server', usedBy: 'the chat tests (a real Redis)' },
  { program: 'chromium', debianPackage: 'chromium', usedBy: 'the web page tests (real headless Chromium)' },
] as const;

export function findProgram(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export function requireProgram(program: string): string {
  const path = findProgram(program);
  if (path) return path;
  const known = PREREQUISITES.find((p) => p.program === program);
  throw new Error(
    `${program} is not installed; ${known?.usedBy ?? 'the tests'} need it. Run npm test as root on Debian (it installs it), or: apt-get install -y ${known?.debianPackage ?? program}`,
  );
}

/** vitest globalSetup: installs what is missing with apt-get (as root), or stops with how to do it. */
export default function ensurePrerequisites(): void {
  const missing = PREREQUISITES.filter((p) => findProgram(p.program) === undefined);
  if (missing.length === 0) return;
  const packages = missing.map((p) => p.debianPackage);
  const canInstall = process.getuid?.() === 0 && findProgram('apt-get') !== undefined;
  if (!canInstall) {
    throw new Error(
      `Missing ${missing.map((p) => `${p.program} (for ${p.usedBy})`).join(' and ')}. Install with: sudo apt-get install -y ${packages.join(' ')}`,
    );
  }
  console.log(`installing ${packages.join(', ')} with apt-get (first run on this machine only)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => execFileSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 900_000 });
  try {
    apt(['update', '-q']);
  } catch {
    // A source other than Debian's may be unreachable; the install below says whether it mattered.
  }
  try {
    apt(['install', '-y', '-q', '--no-install-recommends', ...packages]);
  } catch (error) {
    throw new Error(`apt-get could not install ${packages.join(' ')}: ${(error as Error).message}. Install them by hand, then run npm test again.`, { cause: error });
  }
  for (const p of missing) requireProgram(p.program);
}
