export { until } from "../../scripts/until.ts";
