import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Peer, Port, SecurityGroup, Vpc } from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it, onTestFinished } from 'vitest';
import { accept } from './nag';
import { shippedApp } from './testing';

/** A bare stack with one open security group, checked as the app is. */
function openGroupFindings(accepted: boolean): string[] {
  const outdir = mkdtempSync(join(tmpdir(), 'scaler-nag-'));
  onTestFinished(() => rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Probe');
  Aspects.of(app).add(new AwsSolutionsChecks());
  const group = new SecurityGroup(stack, 'Open', { vpc: new Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [] }) });
  group.addIngressRule(Peer.anyIpv4(), Port.tcp(22));
  if (accepted) accept(group, [{ id: 'AwsSolutions-EC23', reason: 'a probe of the check itself' }]);
  const messages = app.synth().getStackByName('Probe').messages;
  return messages.filter((m) => m.level === 'error' && String(m.entry.data).includes('AwsSolutions-EC23')).map((m) => String(m.entry.data));
}

describe("cdk-nag's AwsSolutions checks", () => {
  it('find an open security group, and an accepted finding is no longer an error', () => {
    expect(openGroupFindings(false)).toHaveLength(1);
    expect(openGroupFindings(true)).toHaveLength(0);
  });

  it('leave no unaccepted error anywhere in the app', async () => {
    const app = await shippedApp();
    expect(app.nagErrors()).toEqual([]);
  });
});
