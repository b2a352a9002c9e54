#ifndef TRACE_H
#define TRACE_H

#include "potracelib.h"
#include "curve.h"

int process_path(path_t *plist, const potrace_param_t *param);

#endif /* TRACE_H */
