/** TensorFlow.js backends the engine can train and measure on, fastest first. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What a user may ask for (setting, `--backend`, spec): a backend, or 'auto' for the fastest that works. */
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export function isBackendChoice(value: unknown): value is BackendChoice {
  return (BACKEND_CHOICES as readonly unknown[]).includes(value);
}
