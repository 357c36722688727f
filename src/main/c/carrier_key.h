/* A number per OS thread, kept in the OS thread's own TLS, for CarrierLocal. */
#ifndef CARRIERID_CARRIER_KEY_H
#define CARRIERID_CARRIER_KEY_H

#include <stdint.h>

/* The calling OS thread's key (0: none yet), for FFM downcalls. */
__attribute__((visibility("default"))) int64_t carrierid_current_carrier_key(void);

#endif
