// An HTTP relay that records what each request to the proxy carried (method, path, headers, body)
// before passing it on unchanged, so the test can see exactly what Open WebUI sends.
import { createServer, request, type IncomingHttpHeaders } from "node:http";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status?: number;
}

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
      const record: RecordedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: body.toString() };
      requests.push(record);
      const options = { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } };
      const forward = request(options, (answer) => {
        record.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on("error", (error) => res.writeHead(502).end(error.message));
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
