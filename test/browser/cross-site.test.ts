// The proxy in a real browser: a page from an allowed origin (CORS_ALLOW_ORIGINS) reads the spec
// and calls a tool with a bearer key, as Open WebUI's user tool servers do; a page from another
// origin is blocked, and its "simple" request (no preflight) never runs a tool. /docs renders
// with no internet.
import { createServer, type Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/processes.ts";
import { edgeStdio, startTestStack, type TestStack } from "../helpers/stack.ts";
import { launchChromium } from "./chromium.ts";

const KEY = "browser-test-key-0123456789abcdef";
let stack: TestStack;
let browser: Browser;
let allowedPage: { server: Server; url: string };
let otherPage: { server: Server; url: string };

/** A site of its own: one blank page, so the browser's origin is that site's. */
async function site(host: string): Promise<{ server: Server; url: string }> {
  const port = await freePort();
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>site</title><p>site</p>"));
  await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
  return { server, url: `http://${host}:${port}` };
}

beforeAll(async () => {
  [allowedPage, otherPage] = await Promise.all([site("127.0.0.1"), site("localhost")]);
  stack = await startTestStack({ mcpServers: { edge: edgeStdio() } }, { MCP_API_KEY: KEY, CORS_ALLOW_ORIGINS: allowedPage.url });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  for (const page of [allowedPage, otherPage]) page?.server.close();
});

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  return page;
}

/** What a page's script gets from the proxy: the spec's tool count and a tool's answer, or the error. */
function callFromPage(page: Page) {
  return page.evaluate(
    async ({ proxy, key }) => {
      try {
        const auth = { authorization: `Bearer ${key}` };
        const spec = await (await fetch(`${proxy}/openapi.json`, { headers: auth })).json();
        const call = await fetch(`${proxy}/edge/echo`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({ message: "from the browser" }),
        });
        return { tools: Object.keys(spec.paths).filter((path: string) => path.startsWith("/edge/")).length, status: call.status, text: await call.text() };
      } catch (error) {
        return { error: String(error) };
      }
    },
    { proxy: stack.url, key: KEY },
  );
}

const calls = async () => (await (await stack.post("/edge/stats", {}, { authorization: `Bearer ${KEY}` })).json()).calls as number;

describe("in Chromium", () => {
  it("lets a page from an allowed origin read the spec and call a tool with the key", async () => {
    const page = await openPage(allowedPage.url);
    const result = await callFromPage(page);
    expect(result).toMatchObject({ status: 200, text: "from the browser" });
    expect((result as { tools: number }).tools).toBeGreaterThan(5);
    await page.close();
  });

  it("blocks a page from another origin, even with the key", async () => {
    const page = await openPage(otherPage.url);
    const result = await callFromPage(page);
    expect(result).toMatchObject({ error: expect.stringContaining("Failed to fetch") });
    await page.close();
  });

  it("never runs a tool for another origin's simple request (no preflight, no CORS)", async () => {
    const before = await calls();
    const page = await openPage(otherPage.url);
    await page.evaluate(async (proxy) => {
      const body = JSON.stringify({ message: "forged" });
      await fetch(`${proxy}/edge/echo`, { method: "POST", mode: "no-cors", body }).catch(() => {});
      await fetch(`${proxy}/edge/echo`, { method: "POST", mode: "no-cors", headers: { "content-type": "application/x-www-form-urlencoded" }, body }).catch(
        () => {},
      );
    }, stack.url);
    await page.close();
    expect(await calls()).toBe(before + 1); // the second stats call itself
  });
});

describe("/docs in Chromium, with no internet", () => {
  it("renders every tool from the proxy's own files", async () => {
    const open = await startTestStack({ mcpServers: { edge: edgeStdio() } });
    try {
      const page = await browser.newPage();
      const external: string[] = [];
      page.on("request", (request) => {
        if (!request.url().startsWith(open.url)) external.push(request.url());
      });
      await page.goto(`${open.url}/docs`);
      await page.waitForSelector(".opblock-summary-path", { timeout: 20_000 });
      const paths = await page.$$eval(".opblock-summary-path", (nodes) => nodes.map((node) => node.textContent?.replace(/\u200b/g, "")));
      expect(paths).toEqual(expect.arrayContaining(["/edge/echo", "/health", "/openapi.json"]));
      expect(external).toEqual([]);
      await page.screenshot({ path: ".build/docs-page.png" });
      await page.close();
    } finally {
      await open.stop();
    }
  });
});
