// The admin portal in Chromium at 375 px wide: an admin grants a server by clicking, a non-admin
// gets the 403 page, one form is operated with the keyboard alone, and every page is captured in
// .build/screenshots/portal/ (and must not scroll sideways).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PortalStack, startPortalStack } from "../helpers/portal-stack.ts";
import { type TestDatabase, withClient } from "../helpers/postgres.ts";
import type { TestStack } from "../helpers/stack.ts";
import { launchChromium } from "./chromium.ts";

const SECRET = "portal-browser-secret-0123456789";
const ADMIN = "root@example.com";
const MEMBER = "wendy@example.com";
const SCREENSHOTS = join(import.meta.dirname, "../../.build/screenshots/portal");
const PAGES = {
  servers: "/portal",
  groups: "/portal/groups",
  users: "/portal/users",
  access: "/portal/access?email=alice@example.com",
  audit: "/portal/audit",
};

let portal: PortalStack;
let database: TestDatabase;
let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  portal = await startPortalStack(ADMIN, SECRET);
  ({ database, stack } = portal);
  // One call so the audit page has a row.
  await stack.post("/edge/echo", { message: "hi" }, portal.as(ADMIN));
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** A phone-sized browser whose every request carries the gateway's headers for this user. */
function contextAs(email: string): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 375, height: 800 }, extraHTTPHeaders: portal.as(email) });
}

const grants = () => withClient(database.url, async (c) => (await c.query("SELECT tenant_id FROM group_tenant_mapping WHERE group_name = 'web-team'")).rows);

/** The edge tools MEMBER sees: the paths of /openapi.json, and the tools the MCP SDK's client lists on /mcp. */
async function memberTools(): Promise<{ openapi: string[]; mcp: string[] }> {
  const spec = (await (await fetch(`${stack.url}/openapi.json`, { headers: portal.as(MEMBER) })).json()) as { paths: Record<string, unknown> };
  const client = new Client({ name: "portal-member", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.url}/mcp`), { requestInit: { headers: portal.as(MEMBER) } }));
  try {
    const { tools } = await client.listTools();
    return {
      openapi: Object.keys(spec.paths).filter((path) => path.startsWith("/edge/")),
      mcp: tools.map((tool) => tool.name).filter((name) => name.startsWith("edge_")),
    };
  } finally {
    await client.close();
  }
}

/** Presses Tab until the element matching `selector` has the focus (keyboard only). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe("the admin portal in Chromium", () => {
  it("shows a non-admin the 403 page", async () => {
    const context = await contextAs("nobody@example.com");
    const page = await context.newPage();
    const response = await page.goto(stack.url + PAGES.servers);
    expect(response?.status()).toBe(403);
    expect(await page.getByText("Only admins may use the admin portal").isVisible()).toBe(true);
    await context.close();
  });

  it("lets an admin grant a server to a group by clicking; the group's member then has its tools in /openapi.json and /mcp", async () => {
    await withClient(database.url, (c) => c.query("INSERT INTO user_group_membership (user_email, group_name) VALUES ($1, 'web-team')", [MEMBER]));
    expect(await memberTools()).toEqual({ openapi: [], mcp: [] });
    const context = await contextAs(ADMIN);
    const page = await context.newPage();
    await page.goto(stack.url + PAGES.groups);
    await page.getByLabel("Group").fill("web-team");
    await page.getByLabel("Server").selectOption("edge");
    await page.getByRole("button", { name: "Grant" }).click();
    await page.waitForURL(/notice=/);
    expect(await page.getByRole("status").textContent()).toBe("Granted edge to group web-team.");
    expect(await grants()).toEqual([{ tenant_id: "edge" }]);
    await context.close();
    const tools = await memberTools();
    expect(tools.openapi).toContain("/edge/echo");
    expect(tools.mcp).toContain("edge_echo");
  });

  it("can be operated with the keyboard alone: make an admin", async () => {
    const context = await contextAs(ADMIN);
    const page = await context.newPage();
    await page.goto(stack.url + PAGES.users);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await tabTo(page, 'form[aria-label="Make admin"] input[name="email"]');
    await page.keyboard.type("bob@example.com");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Make admin");
    await page.keyboard.press("Enter");
    await page.waitForURL(/notice=/);
    expect(await page.getByRole("status").textContent()).toBe("bob@example.com is an admin.");
    await context.close();
  });

  it("fits every page in 375 px and captures it", async () => {
    const context = await contextAs(ADMIN);
    const page = await context.newPage();
    for (const [name, path] of Object.entries(PAGES)) {
      expect((await page.goto(stack.url + path))?.status(), path).toBe(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} scrolls sideways`).toBeLessThanOrEqual(375);
      if (name === "servers") {
        // Stacked rows name each cell from its column.
        const before = await page.evaluate(() => getComputedStyle(document.querySelector('td[data-label="Transport"]')!, "::before").content);
        expect(before).toBe('"Transport: "');
      }
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    }
    await context.close();
  });
});
