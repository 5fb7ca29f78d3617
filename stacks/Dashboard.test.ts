import { beforeAll, describe, expect, it } from 'vitest';
import { shippedApp, type SynthesizedApp, staged } from './testing';

let app: SynthesizedApp;
beforeAll(async () => {
  app = await shippedApp();
});

/** A dashboard's body as text, with the template's references written as <ref>. */
function body(name: string): string {
  const dashboards = Object.values(app.template('Dashboard').findResources('AWS::CloudWatch::Dashboard'));
  const dashboard = dashboards.find((d) => d.Properties.DashboardName === name)!;
  const parts = dashboard.Properties.DashboardBody['Fn::Join']?.[1] ?? [dashboard.Properties.DashboardBody];
  return (parts as unknown[]).map((p) => (typeof p === 'string' ? p : '<ref>')).join('');
}

describe('Dashboard stack', () => {
  it('draws one dashboard per target', () => {
    const names = Object.values(app.template('Dashboard').findResources('AWS::CloudWatch::Dashboard')).map((d) => d.Properties.DashboardName);
    expect(names).toEqual([staged('chat-fargate'), staged('chat-ec2')]);
  });

  it.each([
    { name: staged('chat-fargate'), target: staged('chat-fargate'), desired: `"ECS/ContainerInsights","DesiredTaskCount","ClusterName","${staged('chat')}","ServiceName","${staged('chat-fargate')}"`, running: '"RunningTaskCount"' },
    { name: staged('chat-ec2'), target: staged('chat-ec2'), desired: `"AWS/AutoScaling","GroupDesiredCapacity","AutoScalingGroupName","${staged('chat-asg')}"`, running: '"GroupInServiceInstances"' },
  ])('$name shows connections with the forecast band, desired and running capacity, and decisions by reason', ({ name, target, desired, running }) => {
    const text = body(name);
    const widgets = (JSON.parse(text) as { widgets: Array<{ properties: { title?: string; metrics?: unknown[] } }> }).widgets;
    expect(widgets.map((w) => w.properties.title).filter(Boolean)).toEqual([
      'Open connections and forecast',
      'Capacity: desired and running',
      'Decisions by reason code',
      'Evaluation failures',
      'Controller alerts',
      'Controller: failed events (dead-letter queue)',
      'Controller: function errors',
      'Controller: function throttles',
    ]);
    expect(text).toContain(`SUM(SEARCH('{Chat,TargetName,UnitId} MetricName=\\"Connections\\" TargetName=\\"${target}\\"', 'Average', 60))`);
    expect(text).toContain(`"Chat","ConnectionsForecast","TargetKind"`);
    expect(text).toContain(`"Chat","ConnectionsForecastUpper","TargetKind"`);
    expect(text).toContain(desired);
    expect(text).toContain(running);
    expect(text).toContain(`"Scaler","DesiredCapacity","TargetName","${target}","service","scaler"`);
    expect(text).toContain(`SEARCH('{Scaler,service,TargetName,Reason} MetricName=\\"Decisions\\" TargetName=\\"${target}\\"', 'Sum', 60)`);
    // The controller's own health: its dead-letter queue, each function's errors and throttles, its alerts.
    expect(text).toContain('"AWS/SQS","ApproximateNumberOfMessagesVisible"');
    for (const fn of ['Evaluate', 'OnAlarm', 'RefreshForecast', 'Retune', 'DrainInstance']) {
      expect(text).toContain(`"label":"${fn}"`);
    }
    expect(text.match(/"AWS\/Lambda","Errors"/g)).toHaveLength(5);
    expect(text.match(/"AWS\/Lambda","Throttles"/g)).toHaveLength(5);
    expect(text).toContain('"title":"Controller alerts","alarms":["<ref>","<ref>","<ref>"]');
  });

  it('tells where a tuned target\'s daily choice is logged, on its dashboard only', () => {
    expect(body(staged('chat-fargate'))).toContain('Tuned daily to under-provisioned at most 0.5% of the time: the Retune function logs each choice as `tuning chosen`.');
    expect(body(staged('chat-ec2'))).not.toContain('Tuned daily');
  });
});
