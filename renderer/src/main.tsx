import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { hasBerth } from './api/berth';
import { DraftGuardProvider } from './components/DraftGuard';
import { ToastProvider } from './components/Toasts';
import { App } from './views/App';
import './styles/app.css';
import './styles/registries.css';
import './styles/history.css';
import './styles/sync.css';

const client = new QueryClient({
  defaultOptions: {
    queries: {
      // Change events keep data fresh; window focus refetches would only add load.
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: 1,
    },
    mutations: { retry: false },
  },
});

const root = createRoot(document.getElementById('root') as HTMLElement);

if (!hasBerth()) {
  root.render(
    <main className="fatal">
      <h1>Berth cannot reach its backend</h1>
      <p>This page must be opened by the Berth app, which connects it to the registry.</p>
    </main>,
  );
} else {
  root.render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <ToastProvider>
          <DraftGuardProvider>
            <App />
          </DraftGuardProvider>
        </ToastProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
