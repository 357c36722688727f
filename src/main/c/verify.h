/*
 * Checks the fast path's walk on the calling thread against independent truths:
 * Native.verifyHere and Native.monitorOwnerIdHere. verifyHere's result layout and
 * codes (VERIFY_*) are declared once, in Native.java.
 */
#ifndef CARRIERID_VERIFY_H
#define CARRIERID_VERIFY_H

#endif
