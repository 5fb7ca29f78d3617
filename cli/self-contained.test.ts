import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', '.git', '.sst', 'cdk.out', 'backtest-report', 'test-artifacts', 'coverage']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|js|json|md)$/.test(name) ? [path] : [];
  });
}

describe('a clone of the repository alone', () => {
  it('has everything npm start, the examples and the tests read: nothing refers to a folder beside it', () => {
    const outside = files(ROOT).filter((f) => !f.endsWith('self-contained.test.ts') && readFileSync(f, 'utf8').includes('../shared'));
    expect(outside).toEqual([]);
  });
});

describe('its dependencies', () => {
  it('each have a decision on their install scripts in allowScripts, so npm install has nothing to warn of', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.hasInstallScript === true)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    const { allowScripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
    expect(withScripts.length).toBeGreaterThan(0);
    expect([...new Set(withScripts)].filter((name) => typeof allowScripts[name] !== 'boolean')).toEqual([]);
  });
});
