// `npm run schema:init`: rewrites schema/init-db-hetzner.sql from the migrations.
import { writeFileSync } from "node:fs";
import { INIT_SQL_FILE, renderInitSql } from "../schema/migrations.ts";

writeFileSync(INIT_SQL_FILE, renderInitSql());
console.error(`wrote ${INIT_SQL_FILE}`);
