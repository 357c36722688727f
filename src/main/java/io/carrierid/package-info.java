/**
 * carrierid's public API: {@link io.carrierid.Carrier} (the kernel tid and the
 * HotSpot {@code JavaThread} of the OS thread running the caller, a virtual
 * thread's carrier, another thread's tid, and {@link io.carrierid.Carrier#diagnostics()}),
 * {@link io.carrierid.CarrierLocal} (one value per carrier OS thread) and
 * {@link io.carrierid.Diagnostics} (which path answers, and why). Everything else
 * in this package is internal.
 */
package io.carrierid;
