/*
 * kpi_refresher.h - keeping the KPI snapshots that dashboards read warm.
 *
 * A write to a program makes its cached snapshot stale, and the next KPI
 * request would pay the load (about half a second for 100,000 people and a
 * million sessions).  The refresher does that load in the background
 * instead: at start it loads the open and running programs (as many as the
 * cache holds), then every `kpi_refresh` seconds it reloads the stale
 * snapshots of the programs a request has read in the last 15 minutes.  A
 * program is reloaded at most once per four times its load time, so a
 * stream of writes costs at most a quarter of a core.  Requests that arrive
 * during a reload wait for it rather than loading again (store/snapshot.h).
 * MENTORTRACK_KPI_REFRESH (seconds, default 2, 0 = off).
 */
#ifndef MT_KPI_REFRESHER_H
#define MT_KPI_REFRESHER_H
#include "lib/config.h"
#include "lib/error.h"

typedef struct kpi_refresher kpi_refresher;

/* Start the thread (none when kpi_refresh is 0; *out is then NULL). */
int kpi_refresher_start(kpi_refresher **out, const mt_config *cfg, mt_error *err);
/* Stop and join the thread; NULL is fine. */
void kpi_refresher_stop(kpi_refresher *r);

#endif
