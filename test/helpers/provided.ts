// What test/helpers/shared-bridge.ts (a global setup, in Node) hands the in-process worker tests
// (in workerd) through vitest's provide/inject.
declare module "vitest" {
  export interface ProvidedContext {
    bridgeUrl: string;
    bridgeToken: string;
  }
}

export {};
