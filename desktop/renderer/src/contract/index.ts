// The contract client the whole renderer uses, set once at start-up (main.ts) or by a test.
import type { ContractClient } from './client';

let current: ContractClient | null = null;

export function provideContract(client: ContractClient): void {
  current = client;
}

export function useContract(): ContractClient {
  if (!current) throw new Error('The workstation contract is not connected yet (provideContract in main.ts).');
  return current;
}
