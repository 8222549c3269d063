// How a user's email address becomes the key their permissions are stored and looked up under.
// One rule for every place an address comes in (gateway headers, Open WebUI's token, the admin
// routes, ADMIN_EMAIL), so two different addresses can never end up as one key.
//
// The rule: the key is the address in lower case (Unicode's default, locale-free), so Kai@ and kai@,
// or Öz@ and öz@, are one user. Before that, an address is refused when one of its characters
// could fold into another address's: compatibility characters (the Kelvin sign K, full-width
// letters, ligatures, the long s, a letter and its accent sent apart: anything Unicode NFKC
// changes), invisible, control or space characters, and a non-ASCII character whose lower case
// holds ASCII (the Turkish İ, whose lower case is i plus a combining dot).

/** One address: no spaces, and nothing that would split a header list or an address. */
const EMAIL_PATTERN = /^[^\s@,;<>"]{1,64}@[^\s@,;<>"]{1,255}$/;

/** Control, format (zero-width, bidi), private-use, unassigned and separator characters, and the other default-ignorables. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Z}\p{Default_Ignorable_Code_Point}]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included
const ASCII = /[\u0000-\u007f]/;
const STANDS_FOR_ANOTHER =
  "it holds a character that stands for another, such as the Kelvin sign for K, a full-width letter, a ligature, or a letter and its accent sent apart";

export type EmailCheck = { ok: true; email: string } | { ok: false; problem: string };

/** The address as its permission key, or why it is refused. */
export function emailKey(address: string): EmailCheck {
  if (INVISIBLE.test(address)) return refused("holds an invisible, control or space character");
  if (!EMAIL_PATTERN.test(address)) return refused("is not one email address");
  if (address.normalize("NFKC") !== address) return refused(`is not in Unicode normal form NFKC: ${STANDS_FOR_ANOTHER}`);
  for (const char of address) {
    if (!ASCII.test(char) && ASCII.test(char.toLowerCase())) return refused(`holds '${char}', whose lower case is ASCII`);
  }
  const email = address.toLowerCase();
  if (email.normalize("NFKC") !== email) return refused("does not stay in normal form in lower case");
  return { ok: true, email };
}

function refused(problem: string): EmailCheck {
  return { ok: false, problem };
}
