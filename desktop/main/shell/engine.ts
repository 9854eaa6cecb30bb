// What the shells need of the workstation engine: open it over a data directory, use it as the
// contract's port, close it. The engine itself lives in desktop/main/workstation/.
import type { KeyProvider } from '../key-provider';
import type { WorkstationPort } from '../../contract/types';

export interface OpenWorkstationOptions {
  dataDir: string;
  serverUrl: string;
  keys: KeyProvider;
  shell: 'electron' | 'browser';
}

export interface WorkstationEngine extends WorkstationPort {
  /** Stops syncing and closes the local store and journal (everything acknowledged is already on disk). */
  close(): Promise<void>;
}

export type OpenWorkstation = (options: OpenWorkstationOptions) => Promise<WorkstationEngine>;
