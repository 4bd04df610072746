// The warehouse's tables, declared once: the same shape is created in `sensitive` and `synthetic`.

export interface ColumnDef {
  name: string;
  type: string; // SQL type as written in DDL
  arrayType: string; // element type used to cast bulk-load arrays (unnest)
}

export interface TableDef {
  name: string;
  columns: ColumnDef[];
  primaryKey: string;
  foreignKeys: { column: string; references: string; refColumn: string }[];
  indexes: string[]; // columns worth an index for the joins analysts write
}

const col = (name: string, type: string, arrayType = type): ColumnDef => ({ name, type, arrayType });

export const TABLES: TableDef[] = [
  {
    name: 'customers',
    columns: [
      col('customer_id', 'integer'),
      col('full_name', 'text'),
      col('email', 'text'),
      col('phone', 'text'),
      col('address', 'text'),
      col('date_of_birth', 'date'),
      col('region', 'text'),
      col('segment', 'text'),
      col('signup_date', 'date'),
      col('churned', 'boolean'),
    ],
    primaryKey: 'customer_id',
    foreignKeys: [],
    indexes: [],
  },
  {
    name: 'accounts',
    columns: [
      col('account_id', 'integer'),
      col('customer_id', 'integer'),
      col('iban', 'text'),
      col('opened_at', 'date'),
      col('type', 'text'),
      col('balance', 'numeric(14,2)', 'numeric'),
    ],
    primaryKey: 'account_id',
    foreignKeys: [{ column: 'customer_id', references: 'customers', refColumn: 'customer_id' }],
    indexes: ['customer_id'],
  },
  {
    name: 'cards',
    columns: [
      col('card_id', 'integer'),
      col('account_id', 'integer'),
      col('card_number', 'text'),
      col('expiry', 'text'),
      col('network', 'text'),
    ],
    primaryKey: 'card_id',
    foreignKeys: [{ column: 'account_id', references: 'accounts', refColumn: 'account_id' }],
    indexes: ['account_id'],
  },
  {
    name: 'products',
    columns: [col('product_id', 'integer'), col('name', 'text'), col('category', 'text'), col('price', 'numeric(10,2)', 'numeric')],
    primaryKey: 'product_id',
    foreignKeys: [],
    indexes: [],
  },
  {
    name: 'transactions',
    columns: [
      col('transaction_id', 'bigint'),
      col('account_id', 'integer'),
      col('product_id', 'integer'),
      col('amount', 'numeric(12,2)', 'numeric'),
      col('ts', 'timestamptz'),
      col('merchant', 'text'),
      col('channel', 'text'),
    ],
    primaryKey: 'transaction_id',
    foreignKeys: [
      { column: 'account_id', references: 'accounts', refColumn: 'account_id' },
      { column: 'product_id', references: 'products', refColumn: 'product_id' },
    ],
    indexes: ['account_id'],
  },
];

export function tableDef(name: string): TableDef | undefined {
  return TABLES.find((t) => t.name === name);
}
