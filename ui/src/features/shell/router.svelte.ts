// Navigation with a guard: while a form has unsaved changes, leaving it (a link, the back
// button, Esc) first asks the person to confirm.

import { formatRoute, parseRoute, type Route } from './route';

let route = $state<Route>(parseRoute(location.hash));
let dirty = $state(false);
/** What waits for the person's answer to "leave without saving?". */
let pending = $state<(() => void) | null>(null);

export const router = {
  get route(): Route {
    return route;
  },
  /** True while a confirmation is asked. */
  get asking(): boolean {
    return pending !== null;
  },
};

/** Forms report whether they hold unsaved changes. */
export function setDirty(value: boolean): void {
  dirty = value;
}

function go(hash: string): void {
  dirty = false;
  if (location.hash !== hash) history.pushState(null, '', hash);
  route = parseRoute(hash);
}

/** Goes to `target` (a hash or a route), asking first if a form is dirty. */
export function navigate(target: string | Route): void {
  const hash = typeof target === 'string' ? target : formatRoute(target);
  if (hash === formatRoute(route)) return;
  guard(() => go(hash));
}

/** Runs `action` (which drops the form's changes) at once, or after the person agrees. */
export function guard(action: () => void): void {
  if (dirty) pending = action;
  else action();
}

/** The person's answer to "leave without saving?". */
export function answerLeave(leave: boolean): void {
  const action = pending;
  pending = null;
  if (leave && action) {
    dirty = false;
    action();
  }
}

/** Follows the back/forward buttons and typed hashes, keeping the guard. */
export function startRouter(): () => void {
  const onPop = () => {
    const hash = location.hash || '#/dashboard';
    if (hash === formatRoute(route)) return;
    if (dirty) {
      history.pushState(null, '', formatRoute(route));
      pending = () => go(hash);
    } else {
      route = parseRoute(hash);
    }
  };
  const onUnload = (e: BeforeUnloadEvent) => {
    if (dirty) e.preventDefault();
  };
  window.addEventListener('popstate', onPop);
  window.addEventListener('hashchange', onPop);
  window.addEventListener('beforeunload', onUnload);
  return () => {
    window.removeEventListener('popstate', onPop);
    window.removeEventListener('hashchange', onPop);
    window.removeEventListener('beforeunload', onUnload);
  };
}

/** Lets links (`<a href="#/…">`) go through the guard instead of jumping straight away. */
export function guardedClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.('a[href^="#/"]');
  if (!a) return;
  e.preventDefault();
  navigate(a.getAttribute('href') ?? '#/dashboard');
}
