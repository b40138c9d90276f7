import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import { SessionProvider } from './api/session';
import { Layout } from './components/Layout';
import './i18n';
import { ResetPassword } from './pages/ResetPassword';
import { SignIn } from './pages/SignIn';
import './styles.css';

// Each page is its own chunk, loaded when a person first opens it: the sign-in page and the frame load only what they
// use, and a page's charts or tables never delay another page.
const page = (load: () => Promise<Record<string, React.ComponentType>>, name: string) => async () => ({ Component: (await load())[name] });

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again; a dropped connection might.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
  },
});

const router = createBrowserRouter(
  [
    { path: '/sign-in', element: <SignIn /> },
    { path: '/reset', element: <ResetPassword /> },
    {
      path: '/',
      element: <Layout />,
      children: [
        { index: true, lazy: page(() => import('./pages/Overview'), 'Overview') },
        { path: 'sales', lazy: page(() => import('./pages/Sales'), 'Sales') },
        { path: 'sales/:kind/:id', lazy: page(() => import('./pages/Order'), 'Order') },
        { path: 'payouts', lazy: page(() => import('./pages/Payouts'), 'Payouts') },
        { path: 'payouts/:connectionId/:payoutId', lazy: page(() => import('./pages/Payout'), 'Payout') },
        { path: 'setup', lazy: page(() => import('./pages/Setup'), 'Setup') },
        { path: 'history', lazy: page(() => import('./pages/History'), 'History') },
        { path: 'report', lazy: page(() => import('./pages/Report'), 'Report') },
        { path: 'operator', lazy: page(() => import('./pages/Operator'), 'Operator') },
      ],
    },
  ],
  { basename: '/app' },
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
