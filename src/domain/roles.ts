/**
 * Who may do what on a merchant's shops (docs/APP.md). Roles of a merchant are ordered: an owner may do all a
 * bookkeeper may, a bookkeeper all a viewer may. Operators stand apart: they read every shop and change none.
 */
export const merchantRoles = ['owner', 'bookkeeper', 'viewer'] as const;
export type MerchantRole = (typeof merchantRoles)[number];
export type Role = MerchantRole | 'operator';

const rank: Record<MerchantRole, number> = { viewer: 1, bookkeeper: 2, owner: 3 };

const reads = (method: string) => method === 'GET' || method === 'HEAD';

/** The role a shop route needs: reading needs a viewer; changing needs an owner unless the route names a lower role. */
export function roleNeeded(method: string, declared?: MerchantRole): MerchantRole {
  return reads(method) ? 'viewer' : (declared ?? 'owner');
}

/** Why `role` may not call a route needing `needed` on a shop, or null when it may. */
export function refusal(role: Role, method: string, needed: MerchantRole): string | null {
  if (role === 'operator') return reads(method) ? null : "Operators read every shop but change none; the merchant's owner makes changes.";
  if (rank[role] >= rank[needed]) return null;
  return `This needs the ${needed} role (or higher); you are ${role}.`;
}

/** Emails are compared lower-cased and without surrounding spaces: one person per address. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
