import {
  toContractError,
  type ContractError,
  type PushChannel,
  type PushMap,
  type StudioApi,
} from '../../../preload/contract';
import type { StudioService } from '../../../main/studio/studio-service';

/** A front end connected to a real studio service through one carrier. */
export interface ContractHarness {
  api: StudioApi;
  service: StudioService;
  close(): Promise<void>;
}

/** What each group of checks gets. */
export interface SuiteContext {
  api(): StudioApi;
  service(): StudioService;
  pushes<C extends PushChannel>(channel: C): PushMap[C][];
}

/** Awaits a rejection and returns it as `{code, message}`. */
export async function failure(
  promise: Promise<unknown>,
): Promise<ContractError> {
  try {
    await promise;
  } catch (error) {
    return toContractError(error);
  }
  throw new Error('expected the request to fail');
}
