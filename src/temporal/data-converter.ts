import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { AesGcmPayloadCodec } from './payload-codec';

/**
 * The one data converter of every Temporal client and worker of this service: payloads encrypted when PAYLOAD_KEY
 * is set, the SDK's default otherwise. Client and worker must agree, or one side cannot read the other's payloads.
 */
export function temporalDataConverter(config: Pick<Config, 'PAYLOAD_KEY' | 'PAYLOAD_KEYS' | 'PAYLOAD_PLAIN_UNTIL'>): DataConverter | undefined {
  if (!config.PAYLOAD_KEY) return undefined;
  return { payloadCodecs: [new AesGcmPayloadCodec(config.PAYLOAD_KEY, config.PAYLOAD_KEYS, { plainUntil: config.PAYLOAD_PLAIN_UNTIL })] };
}
