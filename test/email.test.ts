// The permission key of an email address (schema/email.ts): ASCII and other letters fold to lower
// case, and nothing that could fold one address into another is accepted.
import { describe, expect, it } from "vitest";
import { emailKey } from "../schema/email.ts";

describe("emailKey", () => {
  it.each([
    ["ASCII capitals", "Kai@Example.COM", "kai@example.com"],
    ["non-ASCII capitals", "ÖZGÜR@例え.jp", "özgür@例え.jp"],
    ["a Cyrillic а, a different letter from the Latin a", "k\u0430i@example.com", "k\u0430i@example.com"],
    ["the dotless ı, whose lower case is itself", "kaı@example.com", "kaı@example.com"],
    ["a precomposed é (NFC)", "café@example.com", "café@example.com"],
    ["a quoted-looking local part", "'o'brien@example.com", "'o'brien@example.com"],
  ])("keys %s", (_what, address, key) => {
    expect(emailKey(address)).toEqual({ ok: true, email: key });
  });

  it.each([
    ["the Kelvin sign K (U+212A) for K", "\u212Aai@example.com", "stands for another"],
    ["a full-width ｋ", "\uff4bai@example.com", "stands for another"],
    ["the Angstrom sign Å (U+212B) for Å", "\u212Bsa@example.com", "stands for another"],
    ["the Ohm sign Ω (U+2126)", "\u2126mega@example.com", "stands for another"],
    ["the ligature ﬁ", "\ufb01nn@example.com", "stands for another"],
    ["the long s ſ", "\u017fam@example.com", "stands for another"],
    ["a small roman numeral ⅼ for l", "kai@examp\u217ce.com", "stands for another"],
    ["a mathematical bold 𝐤", "\u{1d424}ai@example.com", "stands for another"],
    ["a superscript ²", "kai\u00b2@example.com", "stands for another"],
    ["the Turkish İ, whose lower case is i plus a dot", "KA\u0130@example.com", "whose lower case is ASCII"],
    ["a decomposed é (e + combining accent)", "cafe\u0301@example.com", "stands for another"],
    ["a zero-width space", "kai\u200b@example.com", "invisible"],
    ["a zero-width joiner", "ka\u200di@example.com", "invisible"],
    ["a soft hyphen", "kai@exam\u00adple.com", "invisible"],
    ["a right-to-left override", "kai@\u202eexample.com", "invisible"],
    ["a Hangul filler", "kai\u3164@example.com", "invisible"],
    ["a no-break space", "kai\u00a0@example.com", "invisible"],
    ["a NUL", "kai\u0000@example.com", "invisible"],
    ["two addresses", "kai@example.com,eve@example.com", "not one email address"],
    ["no @", "kai.example.com", "not one email address"],
  ])("refuses %s", (_what, address, problem) => {
    const key = emailKey(address);
    expect(key.ok).toBe(false);
    if (!key.ok) expect(key.problem).toContain(problem);
  });

  it("never maps a refused-free address into another's key unless they differ only in case", () => {
    const addresses = ["kai@example.com", "k\u0430i@example.com", "kaı@example.com", "kaï@example.com", "kaì@example.com"];
    const keys = addresses.map((address) => emailKey(address)).map((key) => (key.ok ? key.email : undefined));
    expect(new Set(keys).size).toBe(addresses.length);
  });
});
