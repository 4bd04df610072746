// Deterministic generation of the warehouse's bank-like data set (pure: no I/O).
// The same function fills `sensitive` (stand-in for production data) and, with another seed,
// `synthetic`; only the seed differs, so distributions and key relationships match while no
// synthetic value is derived from a sensitive row.
import { Faker, en, base } from '@faker-js/faker';

/** Everything is dated relative to a fixed day so a seed always yields the same rows. */
export const AS_OF = Date.UTC(2025, 11, 31);
const DAY = 86_400_000;

export const BASE_CUSTOMERS = 2_000;
const BASE_PRODUCTS = 200;
const TRANSACTIONS_PER_CUSTOMER = 22.7; // ≈ 25 on average once activity multipliers apply

export interface GeneratedTable {
  name: string;
  rows: number;
  columns: Record<string, unknown[]>;
}

export interface GenerateOptions {
  seed: number;
  scale: number;
  /** e-mail domains to draw from (synthetic data uses reserved example domains). */
  emailDomains: string[];
}

/** mulberry32: a tiny seeded PRNG; faker is used only where realistic text is needed, for speed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickWeighted<T>(rng: () => number, items: readonly (readonly [T, number])[]): T {
  let r = rng() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) {
    r -= w;
    if (r <= 0) return item;
  }
  return items[items.length - 1][0];
}

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const round2 = (x: number): number => Math.round(x * 100) / 100;

const SEGMENTS = [['mass', 0.6], ['affluent', 0.2], ['business', 0.12], ['youth', 0.08]] as const;
const REGIONS = [['north', 0.22], ['south', 0.25], ['east', 0.18], ['west', 0.2], ['central', 0.15]] as const;
const CHANNELS = [['card', 0.45], ['online', 0.3], ['mobile', 0.15], ['branch', 0.05], ['atm', 0.05]] as const;
const NETWORKS = [['visa', 0.55], ['mastercard', 0.38], ['amex', 0.07]] as const;

export function generateDataset(opts: GenerateOptions): GeneratedTable[] {
  const rng = prng(opts.seed);
  const faker = new Faker({ locale: [en, base] });
  faker.seed(opts.seed);

  const nCustomers = Math.max(1, Math.round(BASE_CUSTOMERS * opts.scale));
  const nProducts = Math.max(10, Math.round(BASE_PRODUCTS * opts.scale));

  // products
  const products = { product_id: [] as number[], name: [] as string[], category: [] as string[], price: [] as number[] };
  for (let i = 1; i <= nProducts; i++) {
    products.product_id.push(i);
    products.name.push(faker.commerce.productName());
    products.category.push(faker.commerce.department());
    products.price.push(round2(Math.exp(Math.log(2) + rng() * (Math.log(800) - Math.log(2)))));
  }
  const merchants = Array.from({ length: Math.max(20, Math.round(150 * Math.sqrt(opts.scale))) }, () => faker.company.name());

  const customers = {
    customer_id: [] as number[], full_name: [] as string[], email: [] as string[], phone: [] as string[],
    address: [] as string[], date_of_birth: [] as string[], region: [] as string[], segment: [] as string[],
    signup_date: [] as string[], churned: [] as boolean[],
  };
  const accounts = {
    account_id: [] as number[], customer_id: [] as number[], iban: [] as string[], opened_at: [] as string[],
    type: [] as string[], balance: [] as number[],
  };
  const cards = { card_id: [] as number[], account_id: [] as number[], card_number: [] as string[], expiry: [] as string[], network: [] as string[] };
  const tx = {
    transaction_id: [] as number[], account_id: [] as number[], product_id: [] as number[], amount: [] as number[],
    ts: [] as string[], merchant: [] as string[], channel: [] as string[],
  };

  const earliestSignup = Date.UTC(2015, 0, 1);
  for (let c = 1; c <= nCustomers; c++) {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const segment = pickWeighted(rng, SEGMENTS);
    const region = pickWeighted(rng, REGIONS);
    const age = segment === 'youth' ? 10 + Math.floor(rng() * 8) : 18 + Math.floor(Math.pow(rng(), 1.4) * 67);
    const dob = AS_OF - age * 365.25 * DAY - Math.floor(rng() * 365) * DAY;
    const minSignup = Math.max(earliestSignup, dob + 8 * 365.25 * DAY);
    const signup = minSignup + Math.floor(rng() * Math.max(1, (AS_OF - 30 * DAY - minSignup) / DAY)) * DAY;
    const tenureYears = (AS_OF - signup) / (365.25 * DAY);

    // Churn is a hidden function of behaviour and profile, so a model has something real to learn.
    let logit = -1.7;
    logit += segment === 'mass' ? 0.5 : segment === 'affluent' ? -0.7 : segment === 'business' ? -0.3 : 0.2;
    logit += tenureYears < 1 ? 0.9 : tenureYears > 5 ? -0.6 : 0;
    logit += region === 'east' ? 0.3 : 0;
    logit += age < 30 ? 0.3 : 0;
    logit += 0.4 * normal(rng);
    const churned = rng() < 1 / (1 + Math.exp(-logit));
    const churnDay = churned ? Math.max(signup + 30 * DAY, AS_OF - Math.floor(30 + rng() * 210) * DAY) : AS_OF;

    customers.customer_id.push(c);
    customers.full_name.push(`${first} ${last}`);
    customers.email.push(`${first}.${last}${c}@${faker.helpers.arrayElement(opts.emailDomains)}`.toLowerCase().replace(/[^a-z0-9.@_-]/g, ''));
    customers.phone.push(faker.phone.number({ style: 'international' }));
    customers.address.push(`${faker.location.streetAddress()}, ${faker.location.zipCode()} ${faker.location.city()}`);
    customers.date_of_birth.push(isoDate(dob));
    customers.region.push(region);
    customers.segment.push(segment);
    customers.signup_date.push(isoDate(signup));
    customers.churned.push(churned);

    // accounts
    const types: string[] = [segment === 'business' ? 'business' : 'checking'];
    if (rng() < 0.45) types.push('savings');
    if (segment !== 'youth' && rng() < 0.3) types.push('credit');
    const wealth = segment === 'affluent' ? 4 : segment === 'business' ? 3 : segment === 'youth' ? 0.1 : 1;
    const myAccounts: { id: number; opened: number; weight: number }[] = [];
    for (const type of types) {
      const id = accounts.account_id.length + 1;
      const opened = signup + Math.floor(rng() * tenureYears * 365.25 * 0.4) * DAY;
      let balance = type === 'savings' ? Math.exp(9 + 1.2 * normal(rng)) : type === 'credit' ? -Math.exp(6 + normal(rng)) : Math.exp(7.5 + normal(rng));
      if (type !== 'credit') balance *= wealth * (churned ? 0.25 : 1);
      accounts.account_id.push(id);
      accounts.customer_id.push(c);
      accounts.iban.push(faker.finance.iban());
      accounts.opened_at.push(isoDate(opened));
      accounts.type.push(type);
      accounts.balance.push(round2(balance));
      myAccounts.push({ id, opened, weight: type === 'savings' ? 0.1 : 1 });
      if (type !== 'savings') {
        const nCards = rng() < 0.3 ? 2 : 1;
        for (let k = 0; k < nCards; k++) {
          const network = pickWeighted(rng, NETWORKS);
          const expiry = new Date(AS_OF + Math.floor(1 + rng() * 48) * 30 * DAY);
          cards.card_id.push(cards.card_id.length + 1);
          cards.account_id.push(id);
          cards.card_number.push(faker.finance.creditCardNumber(network).replace(/\D/g, ''));
          cards.expiry.push(`${String(expiry.getUTCMonth() + 1).padStart(2, '0')}/${String(expiry.getUTCFullYear() % 100).padStart(2, '0')}`);
          cards.network.push(network);
        }
      }
    }

    // transactions: churned customers are less active and stop at their churn day
    const activity = Math.exp(0.5 * normal(rng)) * (churned ? 0.35 : 1) *
      (segment === 'affluent' ? 1.3 : segment === 'business' ? 1.6 : 1);
    const count = Math.round(TRANSACTIONS_PER_CUSTOMER * activity * (0.5 + rng()));
    const totalWeight = myAccounts.reduce((s, a) => s + a.weight, 0);
    for (let k = 0; k < count; k++) {
      let r = rng() * totalWeight;
      let account = myAccounts[0];
      for (const a of myAccounts) {
        r -= a.weight;
        if (r <= 0) { account = a; break; }
      }
      const start = Math.min(account.opened, churnDay - DAY);
      const product = 1 + Math.floor(nProducts * rng() * rng()); // a few products sell most
      tx.transaction_id.push(tx.transaction_id.length + 1);
      tx.account_id.push(account.id);
      tx.product_id.push(product);
      tx.amount.push(round2(products.price[product - 1] * (0.8 + rng() * 0.6)));
      tx.ts.push(new Date(start + Math.floor(rng() * (churnDay - start))).toISOString());
      tx.merchant.push(merchants[Math.floor(merchants.length * rng() * rng())]);
      tx.channel.push(pickWeighted(rng, CHANNELS));
    }
  }

  const table = (name: string, columns: Record<string, unknown[]>): GeneratedTable => ({
    name, columns, rows: Object.values(columns)[0].length,
  });
  return [
    table('customers', customers),
    table('accounts', accounts),
    table('cards', cards),
    table('products', products),
    table('transactions', tx),
  ];
}
