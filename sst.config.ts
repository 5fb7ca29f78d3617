import type { SSTConfig } from 'sst';
import { Controller } from './stacks/Controller';

export default {
  config() {
    return { name: 'realtime-scaler', region: 'us-east-1' };
  },
  stacks(app) {
    app.stack(Controller);
  },
} satisfies SSTConfig;
