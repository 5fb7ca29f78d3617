import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions, type NagPackSuppression } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** A cdk-nag AwsSolutions finding we accept, with the reason; `appliesTo` narrows it to named findings. */
export type Accepted = NagPackSuppression;

/** Accepts findings on one construct and everything under it (its role, policy, resource). */
export function accept(construct: IConstruct, findings: Accepted[]): void {
  NagSuppressions.addResourceSuppressions(construct, findings, true);
}

export const LAMBDA_LOGS: Accepted = {
  id: 'AwsSolutions-IAM4',
  reason: 'AWSLambdaBasicExecutionRole grants only CreateLogGroup, CreateLogStream and PutLogEvents: what every function needs to log',
  appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
};

/**
 * Every SST stack carries SST's own custom resource handler (stack metadata for the SST console); its
 * runtime and role are SST's, pinned with SST, not ours to change.
 */
export function acceptSstInternals(stacks: readonly Stack[]): void {
  for (const stack of stacks) {
    const handler = stack.node.tryFindChild('CustomResourceHandler');
    if (handler === undefined) continue;
    accept(handler, [
      { ...LAMBDA_LOGS, reason: `SST's own stack-metadata handler: ${LAMBDA_LOGS.reason}` },
      { id: 'AwsSolutions-L1', reason: "SST's own stack-metadata handler; SST 2.49.8 pins its runtime" },
    ]);
  }
}
