# One image for both processes: `npm run api` and `npm run worker` (see docker-compose.yml).
# The web app is built with Vite (a dev dependency) in a first stage; the image keeps only its files.
FROM node:20-bookworm-slim AS web-app
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY app ./app
RUN npm run build:app

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# The workflows bundled here, once: a worker bundling them at start keeps webpack's memory (130–165 MiB) for life.
# The worker loads dist/workflow-bundle.js (src/temporal/workflow-bundle.ts).
RUN npm run build:workflows
COPY --from=web-app /build/dist/app ./dist/app
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
