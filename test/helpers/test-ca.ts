// A throwaway certificate authority and a wildcard certificate for `*.<domain>` and `<domain>`,
// made with the openssl CLI, for serving TLS in tests exactly where Let's Encrypt serves it in
// production. Clients trust it by `caCert` (Node, curl --cacert) or, in Chromium, by the leaf's
// public key: --ignore-certificate-errors-spki-list=<spkiSha256>.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificate {
  domain: string;
  /** The folder holding every file below. */
  dir: string;
  /** The CA's certificate (PEM): what clients trust. */
  caCert: string;
  /** The leaf certificate (PEM) for *.<domain> and <domain>, and its private key. */
  cert: string;
  key: string;
  /** base64 of the SHA-256 of the leaf's SubjectPublicKeyInfo (DER), for Chromium's --ignore-certificate-errors-spki-list. */
  spkiSha256: string;
  /** The CA certificate's text, for Node's `ca` option. */
  caPem(): string;
}

function openssl(args: string[], cwd: string, input?: Buffer): Buffer {
  return execFileSync("openssl", args, { cwd, input, stdio: ["pipe", "pipe", "pipe"] });
}

/** Makes the CA and the leaf in a new temporary folder (or `dir`). Both are valid for 7 days. */
export function makeTestCertificate(domain: string, dir = mkdtempSync(join(tmpdir(), "test-ca-"))): TestCertificate {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    [
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "7",
      "-subj",
      "/CN=MCP Proxy test CA (throwaway)",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  openssl(["req", ...ec, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", `/CN=*.${domain}`], dir);
  writeFileSync(
    join(dir, "leaf.ext"),
    [
      `subjectAltName=DNS:*.${domain},DNS:${domain}`,
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
    ].join("\n"),
  );
  openssl(
    ["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "7", "-extfile", "leaf.ext"],
    dir,
  );
  const publicKey = openssl(["x509", "-in", "leaf.pem", "-pubkey", "-noout"], dir);
  const der = openssl(["pkey", "-pubin", "-outform", "der"], dir, publicKey);
  const spkiSha256 = openssl(["dgst", "-sha256", "-binary"], dir, der).toString("base64");
  const caCert = join(dir, "ca.pem");
  return { domain, dir, caCert, cert: join(dir, "leaf.pem"), key: join(dir, "leaf.key"), spkiSha256, caPem: () => readFileSync(caCert, "utf8") };
}
