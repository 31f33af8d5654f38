# One image for the migrate, web and engine services of docker-compose.yml.
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/web/package.json apps/web/
COPY apps/engine/package.json apps/engine/
COPY packages/db/package.json packages/db/
COPY packages/rules/package.json packages/rules/
COPY packages/platform/package.json packages/platform/
COPY packages/testing/package.json packages/testing/
COPY packages/ui/package.json packages/ui/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build -w @tripwire/web && npm run build -w @tripwire/engine
ENV NODE_ENV=production
