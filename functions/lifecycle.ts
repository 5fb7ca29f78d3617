import { AWS_DEPLOYMENT, lambdaHandler } from '../aws';
import { configPath, loadDeployableConfig } from '../controller';
import { terminateActionRunner } from '../kinds';

const configuredTargets = () => loadDeployableConfig(configPath(process.env, process.cwd()), AWS_DEPLOYMENT).targets;
export const handler = lambdaHandler(terminateActionRunner(process.env, configuredTargets));
