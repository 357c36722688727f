/* Facts about this process from libc and the kernel, for reports and tests. */
#ifndef CARRIERID_SYSTEM_INFO_H
#define CARRIERID_SYSTEM_INFO_H
#endif
