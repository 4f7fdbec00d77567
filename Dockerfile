# syntax=docker/dockerfile:1

# Build stage: compile TypeScript and native modules (better-sqlite3) with the full toolchain.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY adapters ./adapters
# The image runs the bot, not the benchmarks: bench/ imports the test fakes, which stay out of
# the build context (.dockerignore), so the image compiles only what the bot runs.
RUN printf '{"extends":"./tsconfig.build.json","include":["src","commands","adapters"]}' \
    > tsconfig.image.json \
  && npx tsc -p tsconfig.image.json \
  && npm prune --omit=dev

# Runtime stage: only the compiled output and production dependencies, as a non-root user.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app
# /outage history renders its picture's text with a system font (resvg); slim images have none.
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/*
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
# The replay's timelines: `docker run --rm <image> node dist/src/replay/cli.js meta-2021-10-04`.
COPY --chown=node:node timelines ./timelines
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
