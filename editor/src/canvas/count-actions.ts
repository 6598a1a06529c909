/** What a node card's live counts open when clicked: the contacts behind that number (entered, waiting, a port). */
import { createContext, useContext } from 'react';
import type { NodeContactsState } from '../api/types';

export interface CountQuery { nodeId: string; state: NodeContactsState; port?: string }

export const CountActionsContext = createContext<((q: CountQuery) => void) | null>(null);

/** The opener, or null where no page offers one (the counts are then plain numbers). */
export const useCountActions = () => useContext(CountActionsContext);
