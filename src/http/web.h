/*
 * web.h - the web UI: static files compiled into the binary, plus Chart.js
 * from Debian's libjs-chart.js, read from /usr/share/javascript at request
 * time (it is a system package, not ours to embed).
 */
#ifndef MT_WEB_H
#define MT_WEB_H

#include "http/request.h"

/* Serve r->path if it names a web asset (GET only): 0 with the reply set,
 * -1 if there is no such file. */
int web_serve(mt_req *r);

#endif
