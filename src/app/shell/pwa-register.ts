// Registers the service worker vite-plugin-pwa generates (precached app shell, Monaco and the
// sandbox worker bundle), after the page has loaded so it never competes with first paint.
// Invariant: no service worker in development, where Vite serves modules one by one.
/// <reference types="vite-plugin-pwa/client" />

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    void import('virtual:pwa-register').then(({ registerSW }) => registerSW({ immediate: true }));
  };
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}
