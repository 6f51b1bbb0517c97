import type { RunStatus } from '../../contract/runs';

/** The codicon of each run status (explorer rows, CodeLens). */
export const STATUS_ICON: Record<RunStatus, string> = {
  pending: 'circle-outline',
  running: 'sync~spin',
  stopping: 'loading~spin',
  stopped: 'debug-pause',
  interrupted: 'warning',
  finished: 'pass',
  failed: 'error',
  damaged: 'bracket-error',
};
