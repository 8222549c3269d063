// A proxy stack for a benchmark: catalog written to a temp folder, free ports, quiet output.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack, type Stack } from "../../scripts/stack.ts";
import { freePort } from "../../scripts/free-port.ts";

export async function benchStack(servers: Record<string, unknown>, env: Record<string, string> = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "mcp-bench-"));
  const catalog = join(dir, "catalog.json");
  writeFileSync(catalog, JSON.stringify({ mcpServers: servers }));
  return startStack({ port: await freePort(), bridgePort: await freePort(), catalog, env: { MCP_DATA_DIR: dir, ...env }, stdio: "ignore" });
}

export async function waitHealthy(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const health = await fetch(`${url}/health`).then(
      (r) => r.json(),
      () => undefined,
    );
    if (health?.status === "ok") return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error("the stack did not become healthy");
}
