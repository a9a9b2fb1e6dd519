# One image for every service of the federation; docker-compose.yml picks the service by its command.
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build:clean && npm prune --omit=dev && mkdir -p .data/keys && chown -R node:node .data
USER node
EXPOSE 4000
CMD ["node", "dist/gateway/main.js"]
