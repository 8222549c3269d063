// The stdio read side: lines split across chunks, and lines over the limit dropped with their id.
import { describe, expect, it } from "vitest";
import { LineReader } from "../../bridges/stdio/line-reader.ts";
import { TopLevelIdScanner } from "../../bridges/stdio/top-level-id.ts";

const idOf = (json: string, chunkSize = json.length) => {
  const scanner = new TopLevelIdScanner();
  const bytes = Buffer.from(json);
  for (let at = 0; at < bytes.length; at += chunkSize) scanner.push(bytes.subarray(at, at + chunkSize));
  return scanner.id;
};

describe("the top-level id scan", () => {
  it.each([
    ['{"result":{"content":[]},"jsonrpc":"2.0","id":7}', 7],
    ['{"jsonrpc":"2.0","id":"abc","result":{}}', "abc"],
    ['{ "id" : 12 , "result" : {} }', 12],
    ['{"result":{"id":1,"text":"\\"id\\":2"},"jsonrpc":"2.0","id":3}', 3],
    ['{"result":{"text":"a \\\\"},"id":4}', 4],
    ['{"result":[{"id":9}],"id":"with \\"quote\\""}', 'with "quote"'],
    ['{"ids":1,"idx":2,"id":5}', 5],
    ['{"identifier":"x","id":6}', 6],
  ])("finds the id of %s", (json, id) => {
    expect(idOf(json)).toEqual(id);
    expect(idOf(json, 1)).toEqual(id);
    expect(idOf(json, 3)).toEqual(id);
  });

  it.each([
    ['{"method":"notifications/message","params":{"id":1}}'],
    ['{"result":{},"id":null}'],
    ['{"result":{},"id":{"nested":1}}'],
    ['[{"id":1}]'],
    ["not json at all"],
  ])("finds no id in %s", (json) => {
    expect(idOf(json)).toBeUndefined();
  });

  it("ignores an id too long to be one a request had", () => {
    expect(idOf(`{"result":{},"id":"${"x".repeat(1000)}"}`)).toBeUndefined();
  });
});

describe("the line reader", () => {
  it("joins lines split across chunks and splits chunks holding several", () => {
    const reader = new LineReader(1024);
    expect(reader.push(Buffer.from('{"a":'))).toEqual([]);
    expect(reader.push(Buffer.from('1}\r\n{"b":2}\n{"c"'))).toEqual([{ text: '{"a":1}' }, { text: '{"b":2}' }]);
    expect(reader.push(Buffer.from(":3}\n"))).toEqual([{ text: '{"c":3}' }]);
  });

  it("takes a line of exactly the limit", () => {
    const line = `{"id":1,"result":"${"x".repeat(100 - 20)}"}`;
    expect(Buffer.byteLength(line)).toBe(100);
    expect(new LineReader(100).push(Buffer.from(`${line}\n`))).toEqual([{ text: line }]);
  });

  it("drops a line over the limit, keeping its size and id, and reads the next one", () => {
    const reader = new LineReader(100);
    const big = `{"result":{"text":"${"y".repeat(500)}"},"jsonrpc":"2.0","id":42}`;
    const lines = [];
    for (const part of [big.slice(0, 60), big.slice(60, 300), `${big.slice(300)}\n{"id":43,"result":{}}\n`]) lines.push(...reader.push(Buffer.from(part)));
    expect(lines).toEqual([{ tooLarge: { bytes: Buffer.byteLength(big), id: 42 } }, { text: '{"id":43,"result":{}}' }]);
  });

  it("does not keep the dropped line", () => {
    const reader = new LineReader(1000);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 100; i += 1) reader.push(chunk);
    expect((reader as unknown as { pending: Buffer[] }).pending).toEqual([]);
    expect(reader.push(Buffer.from("\n"))).toEqual([{ tooLarge: { bytes: 100 * chunk.length } }]);
  });
});
