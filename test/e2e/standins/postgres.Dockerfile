# Stand-in for pgvector/pgvector:pg16, built on Debian's PostgreSQL (the CI machine reaches no registry).
FROM mcp-e2e/debian-postgres:bookworm
RUN for f in /usr/lib/postgresql/15/bin/*; do ln -sf "$f" /usr/local/bin/; done \
 && mkdir -p /docker-entrypoint-initdb.d /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PGDATA=/var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
