import { readFileSync } from 'node:fs';

/** Whether a process is still there: running or stopped, but not gone (a zombie awaiting its reaper counts as gone). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
