import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const run = promisify(execFile);

/** The paths the Dockerfile copies into the image, from its COPY lines. */
function copiedPaths(dockerfile: string): string[] {
  return dockerfile
    .split('\n')
    .filter((line) => /^COPY /.test(line))
    .flatMap((line) => line.replace(/^COPY\s+/, '').split(/\s+/).slice(0, -1));
}

describe('the chat image', () => {
  const image = mkdtempSync(join(tmpdir(), 'chat-image-'));
  afterAll(() => rmSync(image, { recursive: true, force: true }));

  it('holds every file `scaler chat` imports: the command starts from exactly what the Dockerfile copies', async () => {
    const copied = copiedPaths(readFileSync(resolve(root, 'Dockerfile'), 'utf8'));
    expect(copied).toEqual(expect.arrayContaining(['bin', 'cli', 'chat']));
    for (const path of copied) cpSync(resolve(root, path), join(image, path), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
    // The image installs the same dependencies (npm ci --omit=dev); Docker itself cannot run here.
    symlinkSync(resolve(root, 'node_modules'), join(image, 'node_modules'));
    const { stdout } = await run(process.execPath, ['bin/scaler.js', 'chat', '--help'], { cwd: image, timeout: 120_000 });
    expect(stdout).toContain('Run a socket.io chat node');
  });

  it('holds what `scaler keda` needs too: its rooms and KEDA’s proto, from the same copies', async () => {
    expect(existsSync(join(image, 'keda/externalscaler.proto'))).toBe(true);
    const { stdout } = await run(process.execPath, ['bin/scaler.js', 'validate', '--keda', resolve(root, 'examples/kubernetes.json')], { cwd: image, timeout: 120_000 });
    expect(stdout).toContain('chat-k8s: k8s-deployment');
  });
});
