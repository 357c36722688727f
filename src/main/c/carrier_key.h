/* A number per OS thread, kept in the OS thread's own TLS, for CarrierLocal. */
#ifndef CARRIERID_CARRIER_KEY_H
#define CARRIERID_CARRIER_KEY_H
#endif
