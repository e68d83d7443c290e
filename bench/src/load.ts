export interface LoadOptions {
  entities: number;
  durationSeconds: number;
  connections: number;
  port: number;
}

export async function runLoadTests(_options: Partial<LoadOptions>) {
  throw new Error('not yet');
}
