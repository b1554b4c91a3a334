/** A deployment setting Coretex cannot run with; raised at start-up, before any work is taken. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError' as const;
  readonly setting: string;
  constructor(setting: string, message: string) {
    super(message);
    this.setting = setting;
  }
}
