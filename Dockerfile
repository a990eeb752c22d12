# imagebot: two stages. The build stage compiles the TypeScript to dist/ (tsc, a dev dependency) and bundles the
# CLI into dist/bundle/ (esbuild, scripts/bundle-cli.mjs), which bin/imagebot.js runs; the image itself holds
# only production dependencies, bin/ and dist/, and runs `imagebot start` with the config at
# /config/imagebot.yaml.
FROM node:20-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build runs below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src/ ./src/
COPY policies/ ./policies/
COPY workers/ ./workers/
# The demo's servers: `imagebot demo` imports them, so tsc needs them to compile src/cli/demo.ts.
COPY test/support/ ./test/support/
COPY scripts/bundle-cli.mjs ./scripts/
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app

# Dependencies first, so source edits reuse the cached layer. No scripts: `prepare` needs the dev tools.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY bin/ ./bin/
COPY --from=build /build/dist/ ./dist/
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
