import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from './synth';

interface CfnTemplate {
  Resources: Record<string, { Type: string; DependsOn?: string | string[] }>;
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, { Export?: { Name: string } }>;
  Conditions?: Record<string, unknown>;
}

/** Every intrinsic reference in a template: Ref, Fn::GetAtt, Fn::ImportValue (literal names only), Fn::Sub. */
function references(node: unknown, found: { refs: string[]; imports: string[] } = { refs: [], imports: [] }) {
  if (Array.isArray(node)) node.forEach((n) => references(n, found));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string') found.refs.push(value);
      else if (key === 'Fn::GetAtt') found.refs.push(Array.isArray(value) ? String(value[0]) : String(value).split('.')[0]!);
      else if (key === 'Fn::ImportValue' && typeof value === 'string') found.imports.push(value);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(value) ? value[0] : value;
        for (const [, name] of String(text).matchAll(/\$\{([^}!.]+)[^}]*\}/g)) found.refs.push(name!);
        if (Array.isArray(value)) references(value[1], found);
      } else references(value, found);
    }
  }
  return found;
}

describe('npm run synth', () => {
  let dir: string;
  let templates: Record<string, CfnTemplate>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scaler-synth-'));
    await synthesize({ outdir: dir });
    templates = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.template.json')).map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as CfnTemplate]));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("says in its help where each stage's templates go", () => {
    const help = execFileSync(process.execPath, ['--import', 'tsx', 'stacks/synth.ts', '--help'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(help).toContain('--stage <stage>');
    expect(help).toContain('default: cdk.out/<stage>, so each stage has its own folder');
    expect(help).toContain('npm run synth -- --stage a templates in cdk.out/a/');
  });

  it('writes one CloudFormation template per stack, offline', () => {
    expect(Object.keys(templates).sort()).toEqual(
      ['ChatEc2', 'ChatFargate', 'Controller', 'Dashboard', 'LoadBalancer', 'Network', 'Redis'].map((s) => `synth-realtime-scaler-${s}.template.json`).sort(),
    );
  });

  it('refers only to resources, parameters and exports that exist', () => {
    const exports = new Set(Object.values(templates).flatMap((t) => Object.values(t.Outputs ?? {}).flatMap((o) => (o.Export ? [o.Export.Name] : []))));
    for (const [file, template] of Object.entries(templates)) {
      const known = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters ?? {})]);
      const { refs, imports } = references(template);
      for (const ref of refs) if (!ref.startsWith('AWS::')) expect(known.has(ref), `${file}: ${ref}`).toBe(true);
      for (const name of imports) expect(exports.has(name), `${file}: import ${name}`).toBe(true);
      for (const [id, resource] of Object.entries(template.Resources)) {
        expect(resource.Type, `${file}: ${id}`).toMatch(/^(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9]+)$/);
        for (const dependency of [resource.DependsOn ?? []].flat()) expect(known.has(dependency), `${file}: ${id} depends on ${dependency}`).toBe(true);
      }
    }
  });
});
