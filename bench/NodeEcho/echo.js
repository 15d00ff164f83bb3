// The Node.js baseline echo server of bench/run.sh: socket.pipe(socket). Prints "Listening on ADDRESS:PORT" once
// it accepts connections.
'use strict';
const net = require('net');
const server = net.createServer({ noDelay: true }, (socket) => {
  socket.on('error', () => socket.destroy());
  socket.pipe(socket);
});
server.listen(Number(process.argv[2] || 0), process.argv[3] || '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`Listening on ${address}:${port}`);
});
