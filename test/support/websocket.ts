import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/**
 * Opens a websocket on 127.0.0.1, sends one text message and returns the first text frame
 * that comes back (Node 20 has no WebSocket client; this speaks just enough of RFC 6455).
 */
export function websocketEcho(port: number, path: string, text: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no websocket answer within ${timeoutMs} ms`));
    }, timeoutMs);
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString();
        if (!head.startsWith('HTTP/1.1 101')) {
          clearTimeout(timer);
          socket.destroy();
          reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
          return;
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        const payload = Buffer.from(text);
        const mask = randomBytes(4);
        // FIN + text opcode, masked, short payload (client frames must be masked)
        socket.write(
          Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] ?? 0)))]),
        );
      }
      if (buffer.length >= 2 && buffer.length >= 2 + ((buffer[1] ?? 0) & 0x7f)) {
        const length = (buffer[1] ?? 0) & 0x7f;
        clearTimeout(timer);
        socket.destroy();
        resolve(buffer.subarray(2, 2 + length).toString());
      }
    });
  });
}
