import { loadVendorDocument, openApiValidator, type RequestValidator } from '../vendor-schemas';

/**
 * What Dinero's API document allows (test/fixtures/vendors/dinero/openapi-extract.yaml, an extract — see its
 * SOURCE.md for what is verified against swagger.json and what is not): documented paths and query parameters,
 * request bodies against the extract's schemas (required fields, no undocumented properties, ExternalReference ≤ 128,
 * at least one product line, dates as YYYY-MM-DD, Guids as UUIDs).
 */
let validator: RequestValidator | undefined;

export function dineroValidator(): RequestValidator {
  validator ??= openApiValidator(loadVendorDocument('dinero/openapi-extract.yaml'), { eager: /./ });
  return validator;
}
