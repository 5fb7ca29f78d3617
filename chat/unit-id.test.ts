import { describe, expect, it } from 'vitest';
import { detectUnitId } from './unit-id';

/** Answers like the ECS task metadata endpoint v4 and EC2's IMDSv2, recording what was asked. */
function metadata(routes: Record<string, string>) {
  const asked: string[] = [];
  const fetchImpl = (async (url: string | URL, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${String(url)}`;
    asked.push(key);
    const body = routes[key];
    if (body === undefined) throw new Error(`unreachable: ${key}`);
    return new Response(body);
  }) as typeof fetch;
  return { fetchImpl, asked };
}

describe('detectUnitId', () => {
  it('uses the ECS task id, as ListTasks names it, on Fargate', async () => {
    const { fetchImpl } = metadata({ 'GET http://169.254.170.2/v4/abc/task': JSON.stringify({ TaskARN: 'arn:aws:ecs:eu-west-1:123456789012:task/chat/0f1e2d3c4b5a69788796a5b4c3d2e1f0' }) });
    expect(await detectUnitId({ ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/abc' }, 3000, false, fetchImpl)).toBe('0f1e2d3c4b5a69788796a5b4c3d2e1f0');
  });

  it('uses the instance id from IMDSv2, with a session token, on an ASG instance', async () => {
    const { fetchImpl, asked } = metadata({
      'PUT http://169.254.169.254/latest/api/token': 'token-1',
      'GET http://169.254.169.254/latest/meta-data/instance-id': 'i-0123456789abcdef0',
    });
    expect(await detectUnitId({}, 3000, true, fetchImpl)).toBe('i-0123456789abcdef0');
    expect(asked).toEqual(['PUT http://169.254.169.254/latest/api/token', 'GET http://169.254.169.254/latest/meta-data/instance-id']);
  });

  it('falls back to host and port elsewhere, asking no metadata service', async () => {
    const { fetchImpl, asked } = metadata({});
    expect(await detectUnitId({}, 4321, false, fetchImpl)).toMatch(/-4321$/);
    expect(asked).toEqual([]);
  });
});
