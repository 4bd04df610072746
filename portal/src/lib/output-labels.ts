// What a resource's outputs are called on screen. The API names them for programs
// (`accessKeyId`, `scratchSchema`); people read "Access key ID" and "Scratch schema".
const known: Record<string, string> = {
  url: 'URL',
  baseUrl: 'Base URL',
  token: 'Token',
  username: 'User name',
  password: 'Password',
  bucket: 'Bucket',
  endpoint: 'Endpoint',
  region: 'Region',
  accessKeyId: 'Access key ID',
  secretAccessKey: 'Secret access key',
  scratchSchema: 'Scratch schema',
  role: 'Role',
  database: 'Database',
  host: 'Host',
  port: 'Port',
  dataClass: 'Data class',
  name: 'Name',
  expiresAt: 'Expires',
  sql: 'SQL',
};

/** "accessKeyId" → "Access key ID"; unknown camelCase or snake_case names are split into words. */
export function outputLabel(name: string): string {
  if (known[name]) return known[name];
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .map((w) => (/^(url|id|sql|s3|ssh|api)$/i.test(w) ? w.toUpperCase() : w.toLowerCase()));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The same, inside a sentence: "Show password", "Copy access key ID", "Copy URL". */
export function outputNoun(name: string): string {
  const label = outputLabel(name);
  const [first] = label.split(' ');
  return first === first.toUpperCase() ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
