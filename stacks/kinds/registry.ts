import { ec2Asg } from './ec2-asg';
import { ecsService } from './ecs-service';
import type { DeployedKind } from './kind';

/** Every kind of target the stacks can deploy: one line each, as `functions/targets/registry.ts`. */
const KINDS: Record<string, DeployedKind> = {
  'ecs-service': ecsService,
  'ec2-asg': ec2Asg,
};

export function deployedKind(kind: string): DeployedKind {
  const found = KINDS[kind];
  if (found === undefined) throw new Error(`the stacks cannot deploy a target of kind ${JSON.stringify(kind)}; known: ${Object.keys(KINDS).join(', ')}`);
  return found;
}
