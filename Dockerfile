# One image for the API and the worker (the command picks the role). Used by docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Dev dependencies are needed at runtime too: tsx runs the TypeScript sources, vite builds the editor.
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN npm run build:editor
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
CMD ["npx", "tsx", "server/api.main.ts"]
