/*
 * migrate.h - versioned schema migrations.
 *
 * Migrations are numbered SQL files (src/store/migrations/NNNN_name.sql)
 * compiled into the binary.  store_migrate applies the missing ones in one
 * transaction and records each in schema_migrations; it refuses a database
 * whose schema is newer than this binary knows.
 */
#ifndef MT_MIGRATE_H
#define MT_MIGRATE_H

#include "store/db.h"

/* Apply pending migrations.  Returns the number applied, or -1. */
int store_migrate(db *d, mt_error *err);
/* Highest migration version compiled into this binary. */
int store_schema_latest(void);

#endif
