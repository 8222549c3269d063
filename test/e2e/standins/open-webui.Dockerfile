# STAND-IN for ghcr.io/open-webui/open-webui:0.12.4, NOT Open WebUI: its real image cannot be built
# here (PyPI is unreachable inside containers). It listens where Open WebUI does (8080), answers
# /health as Open WebUI does, and echoes the trusted headers each request brought, so the e2e
# sees what Traefik lets through. The real Open WebUI is tested by npm run test:openwebui.
FROM node:20.20.2-bookworm-slim
COPY open-webui-standin.js /app/standin.js
USER node
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --retries=10 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "/app/standin.js"]
