/** Who is signed in (`GET /api/v1/auth/me`) and what their role allows: screens and buttons hide what it does not. */
import { createContext, useContext } from 'react';
import type { Me } from './api/types';

export type Permission =
  | 'read' | 'journeys.write' | 'journeys.publish' | 'contacts.write' | 'events.ingest' | 'privacy' | 'templates.write'
  | 'credentials.manage' | 'tokens.manage' | 'users.manage' | 'audit.read' | 'workspaces.manage';

export interface Session { me: Me | null; can(p: Permission): boolean }

export function sessionOf(me: Me | null): Session {
  const perms = new Set(me?.permissions ?? []);
  return { me, can: (p) => perms.has(p) };
}

export const SessionContext = createContext<Session>(sessionOf(null));

export function useSession(): Session {
  return useContext(SessionContext);
}

export type Section = 'journeys' | 'templates' | 'users' | 'channels' | 'audit';

/** The main sections and the permission each needs (any one of the list). */
export const SECTIONS: { id: Section; hash: string; needs: Permission[] }[] = [
  { id: 'journeys', hash: '#/', needs: ['read'] },
  { id: 'templates', hash: '#/templates', needs: ['read'] },
  { id: 'users', hash: '#/users', needs: ['users.manage', 'tokens.manage'] },
  { id: 'channels', hash: '#/channels', needs: ['credentials.manage'] },
  { id: 'audit', hash: '#/audit', needs: ['audit.read'] },
];

export function visibleSections(s: Session) {
  return SECTIONS.filter((x) => x.needs.some((p) => s.can(p)));
}
