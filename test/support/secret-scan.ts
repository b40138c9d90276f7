import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';

/**
 * Where a secret may hide once something has encoded it: as is, URL-encoded, in hex, and in base64 or base64url at
 * each of the three byte alignments (a secret inside a longer base64 text only shows as a middle part of its own
 * encoding, shifted by where it starts).
 */
function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set([secret, encodeURIComponent(secret), bytes.toString('hex'), bytes.toString('hex').toUpperCase()]);
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    // Only the characters made of the secret's bits alone, not of the padding before or whatever follows.
    const part = encoded.slice(Math.ceil((8 * pad) / 6), Math.floor((8 * (pad + bytes.length)) / 6));
    forms.add(part);
    forms.add(part.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return [...forms];
}

/** The secrets (by name) that appear in the text in any of their forms. */
export function leakedIn(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => secretForms(secret).some((form) => text.includes(form)))
    .map(([name]) => name);
}

const isPayload = (v: unknown): v is Payload =>
  !!v && typeof v === 'object' && 'metadata' in v && (v as Payload).metadata !== null && typeof (v as Payload).metadata === 'object' && Object.values((v as Payload).metadata!).every((m) => m instanceof Uint8Array);

/** Every string and byte array in an object (a workflow history as the server sends it, a log entry), as text. */
export function rawText(value: unknown): string {
  const out: string[] = [];
  const seen = new Set<object>();
  const stack = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') out.push(node);
    else if (node instanceof Uint8Array) out.push(Buffer.from(node).toString('latin1'), Buffer.from(node).toString('utf8'));
    else if (node && typeof node === 'object' && !seen.has(node)) {
      seen.add(node);
      stack.push(...Object.values(node));
    }
  }
  return out.join('\n');
}

/**
 * The history as JSON with each payload replaced by what the client's data converter makes of it (through its codecs,
 * then its payload converter), so that encoded or encrypted payloads are searched as the application sees them.
 */
export async function decodedText(client: Client, history: unknown): Promise<string> {
  const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
  // Rebuilt as plain values first: JSON.stringify would call the protobuf messages' toJSON, turning every payload
  // into base64 strings before a replacer could see it.
  const plain = async (node: unknown): Promise<unknown> => {
    if (isPayload(node)) {
      try {
        let payload = node;
        for (const codec of [...payloadCodecs].reverse()) payload = (await codec.decode([payload]))[0]!;
        return payloadConverter.fromPayload(payload);
      } catch {
        return { undecodable: rawText(node) };
      }
    }
    if (node instanceof Uint8Array) return Buffer.from(node).toString('latin1');
    if (Array.isArray(node)) return Promise.all(node.map(plain));
    if (node && typeof node === 'object') return Object.fromEntries(await Promise.all(Object.entries(node).map(async ([k, v]) => [k, await plain(v)])));
    return typeof node === 'bigint' ? String(node) : node;
  };
  return JSON.stringify(await plain(history));
}
