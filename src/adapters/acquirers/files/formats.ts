import { adyenColumns, adyenTypes } from './adyen';
import { genericCsvMappingSchema } from './generic';
import { quickpayColumns, quickpayTypes } from './quickpay';

/**
 * The settlement upload's documentation, for /docs: each format's columns and transaction types, read from the
 * parsers themselves so the page cannot drift from what is accepted, and the sample file in examples/settlements.
 */
const code = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');

/** Type names grouped by what they become: "payment: `settled`, `settledbulk`; refund: …". */
function typeList(types: Record<string, string>, meaning: Record<string, string> = {}) {
  const byKind = new Map<string, string[]>();
  for (const [name, kind] of Object.entries(types)) byKind.set(kind, [...(byKind.get(kind) ?? []), name]);
  return [...byKind].map(([kind, names]) => `${meaning[kind] ?? kind}: ${code(names)}`).join('; ');
}

const genericColumns = genericCsvMappingSchema.shape.columns.shape;
const [genericRequired, genericOptional] = [false, true].map((optional) =>
  Object.entries(genericColumns)
    .filter(([, schema]) => schema.safeParse(undefined).success === optional)
    .map(([name]) => name),
);

export const settlementFormatsDoc = [
  "Send the file as downloaded, with `content-type: text/csv`. The connection's source says how it is read. A file is",
  'booked whole or refused whole (422 with the line and the reason). Amounts become whole minor units (øre, cents).',
  '',
  `**adyen**: Adyen's Settlement details report, comma-separated, amounts in major units with "." decimals. One payout per merchant account and batch. Columns (others are ignored): ${code(adyenColumns)}; optional \`Booking Date\`. Types (column \`Type\`, any case), by what they become: ${typeList(adyenTypes, { payout: 'the transfer to the bank', external: 'settled outside Adyen (only its fees are booked)' })}. Sample: \`examples/settlements/adyen-settlement-details.csv\`.`,
  '',
  `**quickpay**: QuickPay settlements as Clearhaus settles them, comma-separated, amounts in minor units, sales positive and credits, refunds, chargebacks and the reserve negative; fees positive. One payout per \`settlement_id\`. Columns: ${code(quickpayColumns)}; optional \`card_type\`. Types (column \`type\`): ${typeList(quickpayTypes, { payout: 'what was wired to the bank (optional row)' })}. Sample: \`examples/settlements/quickpay-settlements.csv\`.`,
  '',
  `**generic**: your own export, read with the mapping saved by PUT /v1/acquirers/{connectionId}/csv-mapping: delimiter, decimal and thousands separators, date format, amount unit and sign, which column holds ${code(genericRequired!)} (required) and ${code(genericOptional!)} (optional), and your type names for \`payment\`, \`refund\`, \`chargeback\`, \`fee\`, \`adjustment\`. Sample: \`examples/settlements/danish-export.csv\` with its mapping \`examples/settlements/danish-export.mapping.json\`.`,
].join('\n');
