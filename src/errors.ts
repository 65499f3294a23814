/** A client was created with an option that is missing or breaks a rule. */
export class ConfigError extends TypeError {
  readonly option: string;
  constructor(vendor: string, option: string, rule: string) {
    super(`${vendor}: option "${option}" ${rule}`);
    this.name = 'ConfigError';
    this.option = option;
  }
}

/** The vendor's token endpoint refused to issue a token, or answered with something unusable. */
export class TokenError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(vendor: string, status: number, body: unknown, detail = 'token request failed') {
    super(`${vendor}: ${detail} (HTTP ${status})`);
    this.name = 'TokenError';
    this.status = status;
    this.body = body;
  }
}

type Rule = 'string' | 'url';

/** Checks one option and names it in the error, so a typo in a credential is found at start-up. */
export function requireOption(vendor: string, options: object, option: string, rule: Rule = 'string'): string {
  const value = (options as Record<string, unknown>)[option];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(vendor, option, value === undefined ? 'is required' : 'must be a non-empty string');
  }
  if (rule === 'url' && !URL.canParse(value)) {
    throw new ConfigError(vendor, option, `must be an absolute URL (got "${value}")`);
  }
  return value;
}
