export * from "./file.ts";
export * from "./interpolate.ts";
export * from "./parse.ts";
export * from "./servers.ts";
