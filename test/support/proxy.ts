import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

/** What the proxy was asked, in order: "CONNECT host:port", with any Proxy-Authorization. */
export interface ProxyRequest {
  line: string;
  authorization?: string;
}

export interface TestProxy {
  url: string;
  requests: ProxyRequest[];
  close(): Promise<void>;
}

/**
 * A CONNECT proxy on 127.0.0.1. `route` maps a requested "host:port" to where the tunnel
 * really goes (so names that resolve nowhere prove the proxy was used); a target it does
 * not map gets 407, as a proxy that refuses would answer.
 */
export async function startProxy(route: (target: string) => { host: string; port: number } | undefined): Promise<TestProxy> {
  const requests: ProxyRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    requests.push({ line: `${req.method} ${req.url}` });
    res.writeHead(405).end();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    const auth = req.headers['proxy-authorization'];
    requests.push({ line: `CONNECT ${req.url}`, ...(auth ? { authorization: auth } : {}) });
    const to = route(req.url ?? '');
    if (!to) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const upstream = net.connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
