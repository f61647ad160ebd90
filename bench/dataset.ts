// The peer benchmark's data set and schema (shared/bench/peers/src/dataset.ts), so numbers compare.
export const N_USERS = 10_000;
export const ADDRESSES_PER_USER = 2;
export const UPDATE_SUFFIX = " (v2)";

export interface UserInput {
  name: string;
  fullname: string;
  addresses: string[];
}

export function makeUsers(n = N_USERS): UserInput[] {
  const users: UserInput[] = [];
  for (let i = 1; i <= n; i++)
    users.push({ name: `user${i}`, fullname: `User Number ${i}`, addresses: [`user${i}@mail.example.com`, `user${i}.work@corp.example.org`] });
  return users;
}

/** 1,000 sets of 5 distinct names; each query matches exactly 5 rows. */
export function makeNameSets(users: UserInput[], nQueries = 1000, per = 5): string[][] {
  const sets: string[][] = [];
  for (let k = 0; k < nQueries; k++) {
    const s: string[] = [];
    for (let j = 0; j < per; j++) s.push(users[((k * per + j) * 1999) % users.length].name);
    sets.push(s);
  }
  return sets;
}

/** Seeded shuffle (mulberry32 + Fisher-Yates): every contender looks ids up in the same order. */
export function shuffled<T>(xs: T[], seed = 42): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const DDL = [
  "CREATE TABLE user_account (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(30), fullname TEXT)",
  "CREATE TABLE address (id INTEGER PRIMARY KEY, email_address TEXT NOT NULL, user_id INTEGER NOT NULL REFERENCES user_account(id))",
  "CREATE INDEX ix_address_user_id ON address (user_id)",
  "CREATE INDEX ix_user_account_name ON user_account (name)",
];
