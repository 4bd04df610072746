import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, call, session, type Me } from './api/client.ts';

interface AuthState {
  user: Me | null;
  /** True until we know whether the stored token still works. */
  checking: boolean;
  signIn: (user: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

/**
 * Back from single sign-on, the token is in the URL fragment (#token=…): never sent to a server,
 * kept from Referer. It is taken into the session at once and wiped from the address bar and history.
 */
function takeTokenFromFragment(): void {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (!token) return;
  session.set(token);
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
takeTokenFromFragment();

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null>(null);
  const [checking, setChecking] = useState(Boolean(session.token()));

  useEffect(() => {
    session.onUnauthorized(() => {
      session.set(null);
      setUser(null);
    });
    if (!session.token()) return;
    call(api.GET('/api/v1/me'))
      .then(setUser)
      .catch(() => session.set(null))
      .finally(() => setChecking(false));
  }, []);

  const signIn = useCallback(async (name: string, password: string) => {
    const r = await call(api.POST('/api/v1/sessions', { body: { user: name, password } }));
    session.set(r.token);
    setUser(r.user);
  }, []);

  const signOut = useCallback(async () => {
    await api.DELETE('/api/v1/sessions').catch(() => undefined);
    session.set(null);
    setUser(null);
  }, []);

  return <AuthContext.Provider value={{ user, checking, signIn, signOut }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user; only for pages behind the sign-in gate. */
export function useUser(): Me {
  const { user } = useAuth();
  if (!user) throw new Error('useUser without a signed-in user');
  return user;
}
