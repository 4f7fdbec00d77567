import type { Database, Statement } from 'better-sqlite3';

/** Prepared statements cached by their SQL: preparing costs more than most of these queries. */
export function statementCache(db: Database): (source: string) => Statement {
  const statements = new Map<string, Statement>();
  return (source) => {
    let statement = statements.get(source);
    if (statement === undefined) {
      statement = db.prepare(source);
      statements.set(source, statement);
    }
    return statement;
  };
}
