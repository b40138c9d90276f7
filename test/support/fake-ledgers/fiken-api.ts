import { loadVendorDocument, openApiValidator, type RequestValidator } from '../vendor-schemas';

/**
 * What Fiken's published OpenAPI document (test/fixtures/vendors/fiken/openapi.yaml, see SOURCE.md) allows, as a
 * request validator for the fake: documented paths and query parameters only (an undocumented filter is refused),
 * request bodies against the document's schemas (required fields, integer øre, formats, enums, page size ≤ 100).
 */
let validator: RequestValidator | undefined;

/** Built once per process: the document is large and every fake Fiken shares it. */
export function fikenValidator(): RequestValidator {
  validator ??= openApiValidator(loadVendorDocument('fiken/openapi.yaml'), {
    // What the fake serves is compiled up front, so no request waits for it.
    eager: /^\/companies\/\{companySlug\}\/(accounts|bankAccounts|contacts|invoices|creditNotes|sales|journalEntries|generalJournalEntries)(\/|$)/,
  });
  return validator;
}
