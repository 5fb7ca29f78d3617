import { Stack } from 'aws-cdk-lib';
import type { SSTConfig } from 'sst';
import { ChatEc2 } from './stacks/ChatEc2';
import { ChatFargate } from './stacks/ChatFargate';
import { Controller } from './stacks/Controller';
import { Dashboard } from './stacks/Dashboard';
import { LoadBalancer } from './stacks/LoadBalancer';
import { Network } from './stacks/Network';
import { acceptSstInternals } from './stacks/nag';
import { Redis } from './stacks/Redis';

export default {
  config() {
    return { name: 'realtime-scaler', region: 'us-east-1' };
  },
  stacks(app) {
    app.stack(Network).stack(Redis).stack(LoadBalancer).stack(ChatFargate).stack(ChatEc2).stack(Controller).stack(Dashboard);
    acceptSstInternals(app.node.children.filter((c): c is Stack => c instanceof Stack));
  },
} satisfies SSTConfig;
