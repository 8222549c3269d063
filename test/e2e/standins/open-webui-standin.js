// STAND-IN for Open WebUI in the compose e2e (see open-webui.Dockerfile): /health like Open
// WebUI's, and at any other path a JSON echo of the trusted headers the request carried. Each
// request is logged on stdout (docker logs open-webui), so the test can tell what arrived.
const http = require("node:http");

const TRUSTED = ["x-user-email", "x-user-name", "x-user-groups", "x-gateway-secret"];
http
  .createServer((req, res) => {
    if (req.url === "/health") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":true}');
      return;
    }
    const seen = Object.fromEntries(TRUSTED.filter((name) => name in req.headers).map((name) => [name, req.headers[name]]));
    console.log(JSON.stringify({ standin: "open-webui", method: req.method, url: req.url, trusted: seen }));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ standin: "open-webui", trusted: seen }));
  })
  .listen(8080, "0.0.0.0");
