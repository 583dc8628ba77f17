import { connectRaw, sqlOn, type SqlClient } from "~/db.server";

/** Runs `work` with raw SQL on one pool connection of its own (outside any group commit), then gives it back. */
export async function withConnection<T>(work: (sql: SqlClient) => Promise<T>): Promise<T> {
  const connection = await connectRaw();
  try {
    return await work(sqlOn(connection));
  } finally {
    connection.release();
  }
}
