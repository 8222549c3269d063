// An HTTP relay that records what each request to the proxy carried (method, path, headers, body)
// before passing it on unchanged, and what the proxy answered, so the test can see exactly what
// Open WebUI sends and gets.
import { createServer, request, type IncomingHttpHeaders } from "node:http";
import { StringDecoder } from "node:string_decoder";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status?: number;
  /** The answer's body as far as it has arrived (an SSE stream grows), cut at RESPONSE_LIMIT. */
  response: string;
}

const RESPONSE_LIMIT = 1_000_000;

export interface LoggingRelay {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startLoggingRelay(port: number, target: string): Promise<LoggingRelay> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const record: RecordedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: body.toString(), response: "" };
      requests.push(record);
      const options = { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } };
      const forward = request(options, (answer) => {
        record.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const text = new StringDecoder("utf8");
        answer.on("data", (chunk: Buffer) => {
          if (record.response.length < RESPONSE_LIMIT) record.response += text.write(chunk);
        });
        answer.pipe(res);
      });
      forward.on("error", (error) => {
        if (res.headersSent) res.destroy();
        else res.writeHead(502).end(error.message);
      });
      // A client that leaves (an MCP GET stream closed) ends the upstream request too.
      res.on("close", () => forward.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((done, fail) => server.once("error", fail).listen(port, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
