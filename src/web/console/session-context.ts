import { createContext, useContext } from 'react';
import type { Session } from './api/console-api.js';

export interface SessionContextValue extends Session {
  logout: () => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

/** The signed-in user and business; only rendered inside the signed-in part of the app. */
export function useSession(): SessionContextValue {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() is used outside the signed-in console.');
  return session;
}
