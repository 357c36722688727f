/* A number per OS thread, kept in the OS thread's own storage, for CarrierLocal. */
#ifndef CARRIERID_CARRIER_KEY_H
#define CARRIERID_CARRIER_KEY_H

#include <stdint.h>

/* The calling OS thread's key (0: none yet), for FFM downcalls where no slot was found. */
__attribute__((visibility("default"))) int64_t carrierid_current_carrier_key(void);

/* Makes the pthread key the values live under (JNI_OnLoad), and gives it back (JNI_OnUnload). */
void carrierid_carrier_key_load(void);
void carrierid_carrier_key_unload(void);

#endif
