import { describe, expect, it } from 'vitest';
import { findProgram, requireProgram } from './prerequisites';

describe('test prerequisites', () => {
  it('finds the real programs the tests use', () => {
    expect(findProgram('redis-server')).toMatch(/redis-server$/);
    expect(findProgram('chromium')).toMatch(/chromium$/);
  });

  it('fails with how to install a missing program, rather than skipping', () => {
    expect(() => requireProgram('no-such-program-here')).toThrow(/no-such-program-here is not installed; .*apt-get install -y no-such-program-here/);
  });
});
