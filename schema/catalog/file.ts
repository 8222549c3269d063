// The catalog file: MCP servers in the `mcpServers` shape of Claude Desktop and mcpo,
// plus the proxy's own per-server fields (enabled, title, description, timeoutMs).
import { z } from "zod";

/** Route segments the proxy itself uses; a server may not take one of these names. */
const RESERVED_SERVER_NAMES = ["health", "servers", "docs", "admin", "portal", "metrics", "mcp", "openapi.json", "openapi.yaml"];

export const ServerName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/, "must be 1-48 letters, digits, '_' or '-', starting with a letter or digit")
  .refine((name) => !RESERVED_SERVER_NAMES.includes(name.toLowerCase()), {
    message: `is reserved (${RESERVED_SERVER_NAMES.join(", ")})`,
  });

const common = {
  enabled: z.boolean().optional(),
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  /** Upper bound for one tool call to this server, in milliseconds. */
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
};

const StringMap = z.record(z.string(), z.string());

export const StdioServerEntry = z.strictObject({
  type: z.literal("stdio").optional(),
  command: z.string().min(1),
  args: z.array(z.string()).optional(),
  env: StringMap.optional(),
  cwd: z.string().min(1).optional(),
  /** Stop the process after this many seconds without a call; 0 keeps it running once started. */
  idleTimeoutSeconds: z.number().int().min(0).max(86_400).optional(),
  ...common,
});

const RemoteTransport = z.enum(["streamable-http", "sse"]);

export const RemoteServerEntry = z.strictObject({
  type: RemoteTransport,
  url: z.string().min(1),
  headers: StringMap.optional(),
  ...common,
});

export const CatalogFile = z.strictObject({
  mcpServers: z.record(z.string(), z.unknown()),
});

export type StdioServerEntry = z.infer<typeof StdioServerEntry>;
export type RemoteServerEntry = z.infer<typeof RemoteServerEntry>;
