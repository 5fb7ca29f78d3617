import { hostname } from 'node:os';

/** Where the SDKs find the instance metadata service; a test or a proxy may point it elsewhere. */
export const imdsEndpoint = (env: NodeJS.ProcessEnv) => (env.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? 'http://169.254.169.254').replace(/\/$/, '');
const TIMEOUT_MS = 1000;

/**
 * The id the controller knows this node by: the ECS task id (the last part of the task ARN, as
 * ListTasks returns it) on Fargate, the EC2 instance id where told to read the instance metadata, and
 * host-port elsewhere.
 */
export async function detectUnitId(env: NodeJS.ProcessEnv, port: number, instanceMetadata: boolean, fetchImpl: typeof fetch = fetch): Promise<string> {
  const ecsMetadata = env.ECS_CONTAINER_METADATA_URI_V4;
  if (ecsMetadata) {
    const task = (await (await fetchImpl(`${ecsMetadata}/task`, { signal: AbortSignal.timeout(TIMEOUT_MS) })).json()) as { TaskARN?: string };
    const id = task.TaskARN?.split('/').pop();
    if (id) return id;
  }
  if (instanceMetadata) {
    const IMDS = `${imdsEndpoint(env)}/latest`;
    const token = await (
      await fetchImpl(`${IMDS}/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' }, signal: AbortSignal.timeout(TIMEOUT_MS) })
    ).text();
    const id = await (await fetchImpl(`${IMDS}/meta-data/instance-id`, { headers: { 'X-aws-ec2-metadata-token': token }, signal: AbortSignal.timeout(TIMEOUT_MS) })).text();
    if (/^i-[0-9a-f]+$/.test(id)) return id;
  }
  return `${hostname()}-${port}`;
}
