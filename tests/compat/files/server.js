// The node workloads: an HTTP service on the port given (3000 by default), as Node.js images
// run them.
"use strict";
const http = require("http");
const os = require("os");
const port = Number(process.argv[2] || 3000);
http.createServer((req, res) => {
  res.end(`node ok ${os.userInfo().uid}\n`);
}).listen(port, "127.0.0.1", () => {
  console.log(`listening on 127.0.0.1:${port}`);
}).on("error", (e) => {
  console.error(`server.js: ${e.message}`);
  process.exit(1);
});
