// The queries of every provisioned Grafana dashboard (deploy/monitoring/grafana/dashboards), as
// Grafana would send them to Prometheus.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../scripts/stack.ts";

export const DASHBOARDS_DIR = join(ROOT, "deploy/monitoring/grafana/dashboards");

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
  /** The labels the legend names (`{{server}}`): each series must carry them. */
  legendLabels: string[];
}

interface Panel {
  title: string;
  targets?: { refId: string; expr: string; legendFormat?: string }[];
  /** A collapsed row keeps its panels inside it. */
  panels?: Panel[];
}

export function dashboardQueries(): PanelQuery[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((file) => file.endsWith(".json"))
    .flatMap((file) => {
      const dashboard = JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), "utf8")) as { title: string; panels: Panel[] };
      return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]).flatMap((panel) => queriesOf(dashboard.title, panel));
    });
}

function queriesOf(dashboard: string, panel: Panel): PanelQuery[] {
  return (panel.targets ?? []).map(({ refId, expr, legendFormat = "" }) => {
    // Grafana fills in its variables ($__rate_interval, template variables) before Prometheus sees
    // a query; none is used today, and a test that sent one unfilled would only report a parse error.
    if (expr.includes("$")) throw new Error(`${dashboard} / ${panel.title} / ${refId} uses a Grafana variable: give the test its value`);
    return { dashboard, panel: panel.title, refId, expr, legendLabels: [...legendFormat.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]!) };
  });
}
