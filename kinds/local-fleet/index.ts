import { z } from 'zod';
import { defineKind } from '../kind';

/**
 * Local mode's fleet of chat processes on this machine (local/fleet.ts scales it). It stands in for either
 * platform, so it takes both platforms' step policies; the deployed controller has no adapter for it.
 */
export const localFleet = defineKind({
  name: 'local-fleet',
  resource: z.strictObject({}),
  platforms: ['ec2-auto-scaling', 'application-auto-scaling'],
});
