# imagebot: TypeScript run through tsx (a runtime dependency), so there is no build stage; only production
# dependencies are installed. The image runs `imagebot start` with the config at /config/imagebot.yaml.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app

# Dependencies first, so source edits reuse the cached layer.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY bin/ ./bin/
COPY src/ ./src/
COPY policies/ ./policies/
COPY workers/ ./workers/
COPY schema/ ./schema/

# State (clones, caches) lives in /state; the node image's unprivileged user "node" (uid 1000) owns it.
RUN mkdir -p /state /config && chown node:node /state
VOLUME ["/state"]
USER node

EXPOSE 8080
# Node's built-in fetch: the slim image has no curl. /healthz answers while the process serves HTTP.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["node", "bin/imagebot.js"]
CMD ["start", "--config", "/config/imagebot.yaml", "--listen", "0.0.0.0:8080"]
