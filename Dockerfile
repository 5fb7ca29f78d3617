# The chat node image that the Fargate service and the ASG instances run: `scaler chat`.
# Build from the project's root: docker build -t chat .
# Node 24 is the active LTS (supported until April 2028).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
# Every room `scaler` imports as it starts (chat/image.test.ts runs `scaler chat --help` on exactly these).
COPY bin ./bin
COPY cli ./cli
COPY core ./core
COPY sim ./sim
COPY backtest ./backtest
COPY contract ./contract
COPY controller ./controller
COPY kinds ./kinds
COPY aws ./aws
COPY metric-sources ./metric-sources
COPY keda ./keda
COPY local ./local
COPY chat ./chat
USER node
# REDIS_URL must be set. CHAT_TARGET_KIND / CHAT_TARGET_NAME name the controller's target; the unit id
# is the ECS task id from the task metadata, or the EC2 instance id with CHAT_INSTANCE_METADATA=on.
ENV PORT=3000 CHAT_CLOUDWATCH=on CHAT_STOP_TIMEOUT_SECONDS=30
EXPOSE 3000
# ECS sends SIGTERM and kills after stopTimeout (30 s by default); the node drains within it.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/scaler.js", "chat"]
