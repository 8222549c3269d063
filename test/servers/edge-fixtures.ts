// Schemas and names the edge server exposes and the tests check.

export const LONG_TOOL_NAME = `a_really_long_tool_name_${"that_keeps_going_".repeat(5)}end`;

export const COMPLEX_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  description: "An order with nested parts",
  $defs: {
    Address: {
      type: "object",
      description: "A postal address",
      properties: { street: { type: "string" }, city: { type: "string", description: "City name" }, zip: { type: "string", pattern: "^[0-9]{5}$" } },
      required: ["city"],
    },
    Priority: { type: "string", enum: ["low", "normal", "high"], default: "normal", description: "How urgent" },
    Category: {
      type: "object",
      properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Category" } } },
      required: ["name"],
    },
  },
  properties: {
    customer: {
      type: "object",
      properties: {
        name: { type: "string", minLength: 1 },
        shipping: { $ref: "#/$defs/Address" },
        billing: { $ref: "#/$defs/Address", description: "Where the bill goes" },
      },
      required: ["name", "shipping"],
    },
    items: {
      type: "array",
      description: "Order lines",
      items: { type: "object", properties: { sku: { type: "string" }, quantity: { type: "integer", minimum: 1, default: 1 } }, required: ["sku"] },
    },
    priority: { $ref: "#/$defs/Priority" },
    category: { $ref: "#/$defs/Category" },
    note: { type: ["string", "null"] },
  },
  required: ["customer", "items"],
};
