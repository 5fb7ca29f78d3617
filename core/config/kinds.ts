/**
 * Every kind of scaling target: the two the deployed controller scales (each with an adapter in
 * functions/targets) and local mode's fleet of processes. A policy may name the kinds it applies to.
 */
export const TARGET_KINDS = ['ecs-service', 'ec2-asg', 'local-fleet'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
