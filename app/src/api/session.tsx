import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setApiContext } from './client';

export type Role = 'owner' | 'bookkeeper' | 'viewer' | 'operator';
export interface ShopSummary {
  id: string;
  name: string;
  ledgerId: string;
  mode: string;
}
export interface Session {
  person: { id: string; email: string; name: string; role: Role };
  merchant: { id: string; name: string } | null;
  shops: ShopSummary[];
  csrfToken: string;
}

interface SessionState {
  session: Session | null;
  loading: boolean;
  shop: ShopSummary | null;
  chooseShop: (shopId: string) => void;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** What the person's role allows, as the API enforces it (docs/APP.md); the app hides what would be refused. */
  can: (action: 'read' | 'operate' | 'configure') => boolean;
}

const SessionContext = createContext<SessionState | null>(null);
const rank: Record<Role, number> = { viewer: 1, bookkeeper: 2, owner: 3, operator: 0 };

/** The signed-in person and the shop they are looking at; every other query hangs below it. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        return await api<Session>('/v1/session', { withoutShop: true });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
  const session = query.data ?? null;
  const [shopId, setShopId] = useState<string | null>(() => localStorage.getItem('lb.shop'));
  const shop = session?.shops.find((s) => s.id === shopId) ?? session?.shops[0] ?? null;

  // The API context must be current before any page's query runs, so it is set while rendering, not in an effect.
  setApiContext({ shopId: shop?.id, csrfToken: session?.csrfToken });

  useEffect(() => {
    if (shop) localStorage.setItem('lb.shop', shop.id);
  }, [shop]);

  const chooseShop = useCallback(
    (id: string) => {
      setShopId(id);
      setApiContext({ shopId: id });
      // Another shop's data must never show under this one's name: drop everything but the session.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    },
    [queryClient],
  );
  const signIn = useCallback(
    async (email: string, password: string) => {
      const next = await api<Session>('/v1/session', { method: 'POST', body: { email, password }, withoutShop: true });
      queryClient.setQueryData(['session'], next);
    },
    [queryClient],
  );
  const signOut = useCallback(async () => {
    await api('/v1/session', { method: 'DELETE', withoutShop: true }).catch(() => undefined);
    setApiContext({ shopId: undefined, csrfToken: undefined });
    queryClient.clear();
    queryClient.setQueryData(['session'], null);
  }, [queryClient]);
  const can = useCallback(
    (action: 'read' | 'operate' | 'configure') => {
      const role = session?.person.role;
      if (!role) return false;
      if (role === 'operator') return action === 'read';
      return rank[role] >= { read: 1, operate: 2, configure: 3 }[action];
    },
    [session],
  );

  const value = useMemo(() => ({ session, loading: query.isPending, shop, chooseShop, signIn, signOut, can }), [session, query.isPending, shop, chooseShop, signIn, signOut, can]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The chosen shop's id, for query keys: a page's data is cached per shop. */
export function useShopId(): string {
  return useSession().shop?.id ?? 'none';
}
