// The proxy's MCP face judged by @modelcontextprotocol/conformance (pinned), its CLI run as an SDK
// maintainer runs it: every server scenario against the conformance server itself (the baseline:
// what the server behind the proxy does), through `/conformance/mcp` (one catalog server, names
// unchanged) and through `/mcp` (every server, names prefixed). Every scenario that applies passes;
// the ones that cannot apply are listed below with the reason.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConformanceRun, conformanceStdio, failuresOf, runConformance, startConformanceServer } from "./helpers/conformance.ts";
import { freePort, stopProcess } from "./helpers/processes.ts";
import { startTestStack, type TestStack } from "./helpers/stack.ts";

/** Every server scenario of the pinned release (`conformance list --server`): a new release's new ones fail the test until placed. */
const ALL_SCENARIOS = [
  "server-initialize",
  "logging-set-level",
  "ping",
  "completion-complete",
  "tools-list",
  "tools-call-simple-text",
  "tools-call-image",
  "tools-call-audio",
  "tools-call-embedded-resource",
  "tools-call-mixed-content",
  "tools-call-with-logging",
  "tools-call-error",
  "tools-call-with-progress",
  "tools-call-sampling",
  "tools-call-elicitation",
  "json-schema-2020-12",
  "elicitation-sep1034-defaults",
  "server-sse-polling",
  "server-sse-multiple-streams",
  "elicitation-sep1330-enums",
  "resources-list",
  "resources-read-text",
  "resources-read-binary",
  "resources-templates-read",
  "resources-subscribe",
  "resources-unsubscribe",
  "prompts-list",
  "prompts-get-simple",
  "prompts-get-with-args",
  "prompts-get-embedded-resource",
  "prompts-get-with-image",
  "dns-rebinding-protection",
];

/** Not applicable anywhere: what it needs is not in the conformance server (nor the proxy's scope). */
const NOT_APPLICABLE: Record<string, string> = {
  // Pending in the pinned release. It calls a `test_reconnection` tool whose server closes the SSE
  // stream mid-call and resumes on GET with Last-Event-ID (SEP-1699 polling); without one it only
  // warns, so a "pass" would prove nothing.
  "server-sse-polling": "needs a test_reconnection tool and SSE resumption (pending in the pinned release)",
};

/**
 * Not applicable to `/mcp`: the scenario names a tool, prompt or resource by its upstream name, and
 * `/mcp` names them `<server>_<name>` and `mcp-proxy://<server>/<uri>` (the same scenarios pass
 * through `/conformance/mcp`, where names are unchanged).
 */
const RENAMED_ON_AGGREGATE = "names an upstream tool/prompt/resource that /mcp prefixes with its server";
const NOT_APPLICABLE_TO_AGGREGATE: Record<string, string> = {
  ...NOT_APPLICABLE,
  "completion-complete": `ref/prompt test_prompt_with_arguments: ${RENAMED_ON_AGGREGATE}`,
  "tools-call-simple-text": `test_simple_text: ${RENAMED_ON_AGGREGATE}`,
  "tools-call-image": `test_image_content: ${RENAMED_ON_AGGREGATE}`,
  "tools-call-audio": `test_audio_content: ${RENAMED_ON_AGGREGATE}`,
  "tools-call-embedded-resource": `test_embedded_resource: ${RENAMED_ON_AGGREGATE}`,
  "tools-call-mixed-content": `test_multiple_content_types: ${RENAMED_ON_AGGREGATE}`,
  "tools-call-with-logging": `test_tool_with_logging: ${RENAMED_ON_AGGREGATE}`,
  "tools-call-error": `test_error_handling: ${RENAMED_ON_AGGREGATE}`,
  "tools-call-with-progress": `test_tool_with_progress: ${RENAMED_ON_AGGREGATE}`,
  "tools-call-sampling": `test_sampling: ${RENAMED_ON_AGGREGATE}`,
  "tools-call-elicitation": `test_elicitation: ${RENAMED_ON_AGGREGATE}`,
  "json-schema-2020-12": `json_schema_2020_12_tool: ${RENAMED_ON_AGGREGATE}`,
  "elicitation-sep1034-defaults": `test_elicitation_sep1034_defaults: ${RENAMED_ON_AGGREGATE}`,
  "elicitation-sep1330-enums": `test_elicitation_sep1330_enums: ${RENAMED_ON_AGGREGATE}`,
  "resources-read-text": `test://static-text: ${RENAMED_ON_AGGREGATE}`,
  "resources-read-binary": `test://static-binary: ${RENAMED_ON_AGGREGATE}`,
  "resources-templates-read": `test://template/{id}/data: ${RENAMED_ON_AGGREGATE}`,
  "resources-subscribe": `test://watched-resource: ${RENAMED_ON_AGGREGATE}`,
  "resources-unsubscribe": `test://watched-resource: ${RENAMED_ON_AGGREGATE}`,
  "prompts-get-simple": `test_simple_prompt: ${RENAMED_ON_AGGREGATE}`,
  "prompts-get-with-args": `test_prompt_with_arguments: ${RENAMED_ON_AGGREGATE}`,
  "prompts-get-embedded-resource": `test_prompt_with_embedded_resource: ${RENAMED_ON_AGGREGATE}`,
  "prompts-get-with-image": `test_prompt_with_image: ${RENAMED_ON_AGGREGATE}`,
};

/**
 * Scenarios that apply but fail through the proxy as built: what the MCP face does not relay yet.
 * Each is asserted to still fail, the way the CLI's --expected-failures baseline works: a fix turns
 * its test red until the entry goes. Each endpoint answers each POST with JSON from a fresh SDK
 * Server, so nothing the upstream sends during a call (notifications, requests) reaches the client.
 */
const GAPS: Record<string, string> = {
  "tools-call-with-logging": "the upstream's log notifications during a call are not relayed",
  "tools-call-sampling": "the upstream's sampling/createMessage is answered Method not found, not relayed to the client",
  "tools-call-elicitation": "the upstream's elicitation/create is answered Method not found, not relayed to the client",
  "elicitation-sep1034-defaults": "elicitation/create: Method not found (not relayed)",
  "elicitation-sep1330-enums": "elicitation/create: Method not found (not relayed)",
  "resources-subscribe": "resources/subscribe: Method not found (not forwarded)",
  "resources-unsubscribe": "resources/unsubscribe: Method not found (not forwarded)",
};
const GAPS_ON_AGGREGATE: Record<string, string> = {};

/** One describe per target: runs the CLI once, then one test per scenario that applies. */
function conformanceSuite(title: string, url: () => string, notApplicable: Record<string, string>, gaps: Record<string, string> = {}): void {
  describe(title, () => {
    let run: ConformanceRun;
    beforeAll(async () => {
      run = await runConformance(url());
    }, 200_000);

    it("ran every scenario of the pinned release, and no other", () => {
      expect([...run.scenarios.keys()].sort()).toEqual([...ALL_SCENARIOS].sort());
    });

    const applicable = ALL_SCENARIOS.filter((scenario) => !(scenario in notApplicable));
    it.for(applicable.filter((scenario) => !(scenario in gaps)))("%s passes", (scenario) => {
      expect(failuresOf(run.scenarios.get(scenario))).toEqual([]);
    });

    it.for(applicable.filter((scenario) => scenario in gaps))("%s still fails (a known gap: remove it from the list once it passes)", (scenario) => {
      expect(failuresOf(run.scenarios.get(scenario)), gaps[scenario]).not.toEqual([]);
    });
  });
}

let upstream: ChildProcess;
let upstreamUrl: string;
let stack: TestStack;

beforeAll(async () => {
  const port = await freePort();
  [upstream, stack] = await Promise.all([
    startConformanceServer(port),
    // No MCP_API_KEY (open mode): the conformance CLI sends no headers.
    startTestStack({ mcpServers: { conformance: conformanceStdio(), twin: conformanceStdio({ description: "A second copy: same names, other server" }) } }),
  ]);
  upstreamUrl = `http://127.0.0.1:${port}/mcp`;
  await stack.waitUntilHealthy();
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await stopProcess(upstream);
});

conformanceSuite("the conformance server itself, over Streamable HTTP (the baseline)", () => upstreamUrl, NOT_APPLICABLE);
conformanceSuite("/conformance/mcp: one catalog server through the proxy", () => `${stack.url}/conformance/mcp`, NOT_APPLICABLE, GAPS);
conformanceSuite("/mcp: every catalog server through the proxy", () => `${stack.url}/mcp`, NOT_APPLICABLE_TO_AGGREGATE, GAPS_ON_AGGREGATE);
