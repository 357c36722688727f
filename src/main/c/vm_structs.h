/* Field offsets from HotSpot's exported serviceability tables (gHotSpotVMStructs). */
#ifndef CARRIERID_VM_STRUCTS_H
#define CARRIERID_VM_STRUCTS_H

/* Results of a lookup besides an offset (which is >= 0). */
enum {
    CARRIERID_VMSTRUCTS_NO_FIELD = -1, /* the tables exist but name no such field */
    CARRIERID_VMSTRUCTS_NO_TABLE = -2  /* no libjvm with exported tables in this process */
};

#endif
