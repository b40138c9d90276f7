import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import { SessionProvider } from './api/session';
import { Layout } from './components/Layout';
import './i18n';
import { History } from './pages/History';
import { Operator } from './pages/Operator';
import { Order } from './pages/Order';
import { Overview } from './pages/Overview';
import { Payout } from './pages/Payout';
import { Payouts } from './pages/Payouts';
import { Report } from './pages/Report';
import { ResetPassword } from './pages/ResetPassword';
import { Sales } from './pages/Sales';
import { Setup } from './pages/Setup';
import { SignIn } from './pages/SignIn';
import './styles.css';

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
        { index: true, element: <Overview /> },
        { path: 'sales', element: <Sales /> },
        { path: 'sales/:kind/:id', element: <Order /> },
        { path: 'payouts', element: <Payouts /> },
        { path: 'payouts/:connectionId/:payoutId', element: <Payout /> },
        { path: 'setup', element: <Setup /> },
        { path: 'history', element: <History /> },
        { path: 'report', element: <Report /> },
        { path: 'operator', element: <Operator /> },
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
