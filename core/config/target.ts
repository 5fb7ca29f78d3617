import { z } from 'zod';
import { alarmNameOf, type AlarmDefinition } from '../alarm';
import type { PolicyBase } from '../policies/policy';
import { POLICIES, type PolicyConfig, type PolicyRegistry } from '../policies/registry';
import { resourceName, seconds, units } from './fields';
import { parseOrThrow } from './parse';

/**
 * What the user wants of a target, which the daily re-tuning and `scaler tune` tune it to: the share of
 * minutes (%) in which connections exceed what ready units serve, and at most so many changes a day.
 */
export const objectiveSchema = z.strictObject({
  maxUnderProvisionedPercent: z.number().min(0).max(100),
  maxActionsPerDay: z.number().min(1).max(1440).optional(),
});
export type Objective = z.infer<typeof objectiveSchema>;

/** An objective in words: "under-provisioned at most 0.5% of the time, at most 200 changes a day". */
export function describeObjective(o: Objective): string {
  return `under-provisioned at most ${o.maxUnderProvisionedPercent}% of the time${o.maxActionsPerDay === undefined ? '' : `, at most ${o.maxActionsPerDay} changes a day`}`;
}

/** One scalable target (an ECS service, an EC2 Auto Scaling group, a local fleet) and its policies. */
export function targetSchemaFor<P extends PolicyBase>(registry: PolicyRegistry<P>) {
  return z
    .strictObject({
      name: resourceName,
      /** What scales it: one of the kinds in kinds/, which checks the name, the resource and the policy types. */
      kind: resourceName,
      /** What the adapter needs to find it, e.g. `{ "cluster": "chat", "service": "chat" }`; the adapter checks it. */
      resource: z.record(z.string(), z.string().min(1)).default({}),
      minCapacity: units(0),
      maxCapacity: units(0),
      /** The most units one decision may add or remove. */
      maxStepSize: units(1).optional(),
      /** Seconds a new unit takes to warm up (EC2's default instance warmup); AWS falls back to 300. */
      warmupSeconds: seconds.default(300),
      policies: z.array(registry.schema).min(1, 'at least one policy is required'),
      objective: objectiveSchema.optional(),
    })
    // Checked even when other fields are malformed, on what is readable, so every problem is reported at once.
    .superRefine((target, ctx) => fieldsAgree(target, ctx), { when: () => true })
    .superRefine((target, ctx) => {
      reportDuplicates(target.policies.map((p) => p.name), ['policies'], 'policy', ctx);
      if (target.objective !== undefined && !target.policies.some((p) => p.type === 'predictive')) {
        ctx.addIssue({ code: 'custom', path: ['objective'], message: 'an objective tunes a target with a predictive policy (the daily re-tuning sets its headroom and scale-in); add one' });
      }
      // One forecast is fitted per target, so the policies that read it must agree on the band it measures.
      const quantiles = new Set(target.policies.flatMap((p) => registry.lookup(p).inputs(p).forecast?.bandQuantile ?? []));
      if (quantiles.size > 1) {
        ctx.addIssue({ code: 'custom', path: ['policies'], message: `the predictive policies of one target share its forecast, so they must have the same bandQuantile (got ${[...quantiles].join(', ')})` });
      }
    });
}

/** The capacity limits agree. */
function fieldsAgree(target: unknown, ctx: z.RefinementCtx): void {
  if (typeof target !== 'object' || target === null) return;
  const { minCapacity, maxCapacity } = target as Record<string, unknown>;
  if (typeof minCapacity === 'number' && typeof maxCapacity === 'number' && minCapacity > maxCapacity) {
    ctx.addIssue({ code: 'custom', path: ['minCapacity'], message: `minCapacity (${minCapacity}) must not exceed maxCapacity (${maxCapacity})` });
  }
}

export const targetSchema = targetSchemaFor(POLICIES);

export const controllerConfigSchema = z
  .strictObject({
    targets: z.array(targetSchema).min(1, 'at least one target is required'),
    /** Where the metrics are read: one of metric-sources/, which checks the type and the options beside it. */
    metricSource: z.looseObject({ type: resourceName }).optional(),
    /** Log every decision and change nothing. */
    dryRun: z.boolean().default(false),
  })
  .superRefine((config, ctx) => {
    reportDuplicates(config.targets.map((t) => t.name), ['targets'], 'target', ctx);
    // An alarm event must lead to exactly one target and policy.
    const seen = new Map<string, string>();
    config.targets.forEach((target, t) =>
      target.policies.forEach((policy, p) => {
        const name = alarmOf(target.name, policy)?.name;
        if (name === undefined) return;
        const first = seen.get(name);
        if (first === undefined) seen.set(name, `targets[${t}].policies[${p}]`);
        else ctx.addIssue({ code: 'custom', path: ['targets', t, 'policies', p, 'alarm'], message: `alarm name "${name}" is already used by ${first}` });
      }),
    );
  });

function reportDuplicates(names: readonly string[], path: PropertyKey[], what: string, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first === undefined) seen.set(name, i);
    else ctx.addIssue({ code: 'custom', path: [...path, i, 'name'], message: `duplicate ${what} name "${name}" (also at index ${first})` });
  });
}

/** The alarm that drives a policy, if one does: its CloudWatch name and the definition the config gives. */
export function alarmOf(targetName: string, policy: PolicyBase, registry: PolicyRegistry = POLICIES): { name: string; definition: AlarmDefinition | undefined } | undefined {
  const alarm = registry.lookup(policy).inputs(policy).alarm;
  return alarm === undefined ? undefined : { name: alarmNameOf(targetName, policy.name, alarm.definition), definition: alarm.definition };
}

/** A target's alarm-driven policies, each with its alarm's CloudWatch name and the definition the config gives. */
export function alarmsOf<P extends PolicyBase>(
  target: { readonly name: string; readonly policies: readonly P[] },
  registry: PolicyRegistry = POLICIES,
): Array<{ policy: P; name: string; definition: AlarmDefinition | undefined }> {
  return target.policies.flatMap((policy) => {
    const alarm = alarmOf(target.name, policy, registry);
    return alarm === undefined ? [] : [{ policy, ...alarm }];
  });
}

export type { PolicyConfig };
export type TargetConfig = z.output<typeof targetSchema>;
/** A target as the engine reads it: policies of any registered type, parsed by their schemas. */
export type EngineTarget = Omit<TargetConfig, 'policies'> & { readonly policies: readonly PolicyBase[] };
export type ControllerConfig = z.output<typeof controllerConfigSchema>;
export type MetricSourceConfig = NonNullable<ControllerConfig['metricSource']>;

export const parseTargetConfig = (input: unknown): TargetConfig => parseOrThrow(targetSchema, input, 'target configuration');
export const parseControllerConfig = (input: unknown): ControllerConfig =>
  parseOrThrow(controllerConfigSchema, input, 'controller configuration');
