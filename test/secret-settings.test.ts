// Secrets compared with a header (the API key, the gateway's secret, the bridge token) are read
// the way HTTP reads the header: without surrounding whitespace, on both sides.
import { connect } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";

const SECRET = "gateway-secret-0123456789abcdef";
const API_KEY = "api-key-0123456789abcdef";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(
    { mcpServers: { edge: edgeStdio() } },
    // As a hand-edited .env or a secret file with a newline gives them.
    {
      API_GATEWAY_MODE: "true",
      API_GATEWAY_SECRET: `${SECRET} \n`,
      MCP_API_KEY: `${API_KEY}\n`,
      BRIDGE_TOKEN: "bridge-token-0123456789abcdef\t",
      ADMIN_EMAIL: "root@example.com",
    },
  );
});
afterAll(() => stack?.stop());

/** Sends the header bytes exactly as written, trailing whitespace included. */
function exactRequest(path: string, headers: string[]): Promise<string> {
  const { hostname, port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.end([`GET ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, "Connection: close", ...headers, "", ""].join("\r\n"));
    });
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

it("reaches the bridge with a BRIDGE_TOKEN that ends in whitespace", async () => {
  const health = await (await stack.get("/health", { authorization: `Bearer ${API_KEY}` })).json();
  expect(health.bridge.status).toBe("ok");
  expect(health.database.status).toBe("ok");
});

it.each([
  ["as written", SECRET, API_KEY],
  ["with trailing spaces and a tab", `${SECRET}  \t`, `${API_KEY} `],
])("believes X-Gateway-Secret and the API key sent %s, against settings that end in whitespace", async (_how, secret, key) => {
  const answer = await exactRequest("/servers", [`Authorization: Bearer ${key}`, `X-Gateway-Secret: ${secret}`, "X-User-Email: root@example.com"]);
  expect(answer.split("\r\n")[0], answer.split("\r\n\r\n")[1]).toBe("HTTP/1.1 200 OK");
  expect(answer).toContain('"name":"edge"');
});

it("still refuses a secret that differs by more than surrounding whitespace", async () => {
  const answer = await exactRequest("/servers", [`Authorization: Bearer ${API_KEY}`, `X-Gateway-Secret: ${SECRET} x`, "X-User-Email: root@example.com"]);
  expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 401 Unauthorized");
});
