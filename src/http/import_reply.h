/*
 * import_reply.h - the API's answer to a CSV import: the summary, or a 422
 * whose error carries every problem line in "details".
 */
#ifndef MT_IMPORT_REPLY_H
#define MT_IMPORT_REPLY_H

#include "domain/csvimport.h"
#include "http/request.h"
#include "store/import.h"

/* Parse errors: 422 with details = every "line N, column C: ..." string. */
int import_reply_parse_errors(mt_req *r, const mt_csv_result *rows);
/* After import_people/members returned `rc`: 200 with the summary and the
 * warnings, a 422 with every store-level problem, or the error as is. */
int import_reply(mt_req *r, const mt_csv_result *rows, const import_summary *sum, int rc,
		 mt_error *err);

#endif
