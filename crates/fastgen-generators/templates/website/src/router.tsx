import { Link, Outlet, createRootRoute, createRoute, createRouter } from '@tanstack/react-router';

import { HomePage } from './pages/home';

const rootRoute = createRootRoute({ component: Layout, notFoundComponent: NotFound });

const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: HomePage });

/** Add a page: a `createRoute` like `homeRoute`, then list it here. */
const routeTree = rootRoute.addChildren([homeRoute]);

export const router = createRouter({ routeTree });

// Makes `<Link to>`, `useParams` and `useSearch` check their routes at compile time.
declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

function Layout() {
  return (
    <>
      <header className="header">
        <Link to="/">{{ title }}</Link>
      </header>
      <Outlet />
    </>
  );
}

function NotFound() {
  return (
    <main className="page">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the home page</Link>
      </p>
    </main>
  );
}
