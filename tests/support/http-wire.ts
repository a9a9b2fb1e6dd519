import net from 'node:net';

/** One HTTP/1.1 request as it crossed the wire: its bytes, and what they say. */
export interface WireRequest {
  /** Exactly the bytes sent: request line, headers and body. */
  raw: Buffer;
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The requests in the bytes a client sent on one connection (kept-alive: one after another). Bodies are read by their
 * Content-Length, as undici sends them; a chunked body is not expected between gateway and subgraphs.
 */
export function requestsOnConnection(stream: Buffer): WireRequest[] {
  const requests: WireRequest[] = [];
  let offset = 0;
  while (offset < stream.length) {
    const headEnd = stream.indexOf('\r\n\r\n', offset);
    if (headEnd < 0) break;
    const [requestLine, ...headerLines] = stream.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const [method, path] = requestLine!.split(' ') as [string, string];
    const headers = Object.fromEntries(
      headerLines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      }),
    );
    if (headers['transfer-encoding']) throw new Error(`a ${headers['transfer-encoding']} body: only Content-Length is read here`);
    const length = Number(headers['content-length'] ?? 0);
    const end = headEnd + 4 + length;
    if (end > stream.length) break;
    requests.push({ raw: stream.subarray(offset, end), method, path, headers, body: stream.subarray(headEnd + 4, end) });
    offset = end;
  }
  return requests;
}

/** The same request with another body: every header as it was (the credential too), the length adjusted. */
export function withBody(request: WireRequest, body: string): Buffer {
  const head = request.raw.subarray(0, request.raw.length - request.body.length).toString('latin1');
  const content = Buffer.from(body);
  return Buffer.concat([Buffer.from(head.replace(/^content-length: *\d+$/im, `content-length: ${content.length}`), 'latin1'), content]);
}

export interface WireResponse {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/** Sends `raw` as it is over a new TCP connection to `address` and reads the one response (a JSON body of known length). */
export function sendRaw(address: { host: string; port: number }, raw: Buffer): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(address.port, address.host, () => socket.write(raw));
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(new Error('no complete response within 10 s')), 10_000);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = received.subarray(0, headEnd).toString('latin1');
      const length = Number(/^content-length: *(\d+)$/im.exec(head)?.[1]);
      if (!Number.isFinite(length)) return socket.destroy(new Error(`a response without Content-Length:\n${head}`));
      if (received.length < headEnd + 4 + length) return;
      clearTimeout(timer);
      socket.destroy();
      const body = received.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8');
      resolve({ status: Number(head.split(' ')[1]), body: JSON.parse(body) as WireResponse['body'] });
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The claims of a JWT, read without checking it (what anyone on the wire can read). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
